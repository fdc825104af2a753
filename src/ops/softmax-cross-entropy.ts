// softmaxCrossEntropy and accuracy over the masked rows: the article's y_hat[mask], without a gather.
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { ACCURACY, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

function check(logits: tf.Tensor2D, labels: tf.Tensor1D, mask: tf.Tensor1D): void {
  const n = logits.shape[0];
  if (labels.rank !== 1 || labels.shape[0] !== n) throw new ShapeError('labels', `[${n}]`, `[${labels.shape}]`);
  if (labels.dtype !== 'int32') throw new ShapeError('labels', 'dtype int32', `dtype ${labels.dtype}`);
  if (mask.rank !== 1 || mask.shape[0] !== n) throw new ShapeError('mask', `[${n}]`, `[${mask.shape}]`);
}

/** Mean cross-entropy of softmax(logits) against integer labels, over rows with mask != 0 (weighted by mask). */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  check(logits, labels, mask);
  const w = mask.dtype === 'float32' ? mask : tf.cast(mask, 'float32');
  if (!backendImplements(SOFTMAX_CROSS_ENTROPY)) {
    return tf.tidy(() => {
      const perRow = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), 1));
      return tf.div(tf.sum(tf.mul(perRow, w)), tf.maximum(tf.sum(w), 1e-12)) as tf.Scalar;
    });
  }
  return dispatch(SOFTMAX_CROSS_ENTROPY, { logits, labels, mask: w });
}

/** Fraction of rows with mask != 0 whose highest logit is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  check(logits, labels, mask);
  const w = mask.dtype === 'float32' ? mask : tf.cast(mask, 'float32');
  if (!backendImplements(ACCURACY)) {
    return tf.tidy(() => {
      const hit = tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32');
      return tf.div(tf.sum(tf.mul(hit, w)), tf.maximum(tf.sum(w), 1e-12)) as tf.Scalar;
    });
  }
  return dispatch(ACCURACY, { logits, labels, mask: w });
}

/** The gradient wrt logits of a masked cross-entropy, scaled by dy[0]; saved: [logits, labels, mask]. */
export const maskedCrossEntropyGrad: tf.GradFunc = (dy, saved) => {
  const [logits, labels, mask] = saved;
  return { logits: () => dispatch<tf.Tensor>(SOFTMAX_CROSS_ENTROPY_GRAD, { logits, labels, mask, dy: dy as tf.Tensor }) };
};

export const softmaxCrossEntropyGradConfig: tf.GradConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels', 'mask'],
  gradFunc: maskedCrossEntropyGrad,
};
