// lossFn, evalFn and forwardFn: the article's training functions (cross-entropy plus its hand-made L2 term).
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors.js';
import { accuracy, l2Penalty, softmaxCrossEntropy } from '../ops/index.js';
import type { Adjacency, GCN } from './gcn.js';
import type { Features } from './linear.js';

function allRows(n: number): tf.Tensor1D {
  return tf.ones([n]);
}

/**
 * Mean cross-entropy over the rows selected by `mask` (all rows without one: the article's y_hat[mask]), plus
 * weightDecay * sqrt(sum of squared parameters), the article's L2 term.
 */
export function lossFn(yHat: tf.Tensor2D, y: tf.Tensor1D, weightDecay = 0, parameters?: tf.Tensor[], mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const ce = softmaxCrossEntropy(yHat, y, mask ?? allRows(yHat.shape[0]));
    if (weightDecay === 0) return ce;
    if (!parameters?.length) {
      throw new InvalidOptionError('parameters of lossFn', parameters ?? null, `the model's parameters (gcn.parameters()) for the L2 term of weightDecay ${weightDecay}`);
    }
    return l2Penalty(ce, parameters, weightDecay);
  });
}

/** Accuracy: the fraction of (masked) rows whose highest logit is the label. */
export function evalFn(yHat: tf.Tensor2D, y: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => accuracy(yHat, y, mask ?? allRows(yHat.shape[0])));
}

/** The article's forward_fn: the training forward pass and its loss; differentiate it with tf.variableGrads. */
export function forwardFn(
  gcn: GCN,
  x: Features,
  adj: Adjacency,
  y: tf.Tensor1D,
  trainMask: tf.Tensor1D,
  weightDecay: number,
): { loss: tf.Scalar; yHat: tf.Tensor2D } {
  const yHat = gcn.apply(x, adj, { training: true });
  const loss = lossFn(yHat, y, weightDecay, gcn.parameters(), trainMask);
  return { loss, yHat };
}
