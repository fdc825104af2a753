// epochMetrics: what a training epoch reports, [train loss, validation loss, validation accuracy], in one kernel,
// differentiable in the logits through the train loss (so it can be the tape's output: one kernel, one read-back).
import * as tf from '@tensorflow/tfjs-core';
import { EPOCH_METRICS, type EpochMetricsAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';
import { accuracy, maskedCrossEntropyGrad, softmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * [mean cross-entropy over trainMask + weightDecay * sqrt(sumSquares), mean cross-entropy over valMask, accuracy
 * over valMask]. The gradient wrt logits is that of the train cross-entropy times dy[0]; sumSquares gets none
 * (pass it in from outside the tape: the Adam step adds the L2 term's gradient itself).
 */
export function epochMetrics(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  trainMask: tf.Tensor1D,
  valMask: tf.Tensor1D,
  sumSquares: tf.Scalar,
  weightDecay: number,
): tf.Tensor1D {
  if (!backendImplements(EPOCH_METRICS)) {
    return tf.tidy(() =>
      tf.stack([
        tf.add(softmaxCrossEntropy(logits, labels, trainMask), tf.mul(tf.sqrt(sumSquares), weightDecay)),
        softmaxCrossEntropy(logits, labels, valMask),
        accuracy(logits, labels, valMask),
      ]) as tf.Tensor1D,
    );
  }
  const attrs: EpochMetricsAttrs = { weightDecay };
  return dispatch(EPOCH_METRICS, { logits, labels, trainMask, valMask, sumSquares }, attrs);
}

export const epochMetricsGradConfig: tf.GradConfig = {
  kernelName: EPOCH_METRICS,
  // The train cross-entropy's gradient: the kernel scales by dy[0], the train-loss entry of this vector.
  inputsToSave: ['logits', 'labels', 'trainMask'],
  gradFunc: maskedCrossEntropyGrad,
};
