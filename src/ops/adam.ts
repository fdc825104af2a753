// adamStep: one fused Adam update of one parameter, the article's weight-decay gradient folded into the same pass.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM, type AdamAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

export interface AdamStepResult {
  param: tf.Tensor;
  /** [m; v], flat: pass it to the next step. */
  state: tf.Tensor1D;
}

/** Adam's state for `param`: both moments, zero, in one flat tensor. */
export function adamState(param: tf.Tensor): tf.Tensor1D {
  return tf.zeros([2 * param.size]);
}

/**
 * g = grad + weightDecay * param / sqrt(sumSquares) (the gradient of the article's weightDecay * ||parameters||,
 * sumSquares being the sum over all parameters); m, v updated; param - lr * m_hat / (sqrt(v_hat) + epsilon),
 * with PyTorch's and tf.train.adam's bias correction. sumSquares stays on the device.
 */
export function adamStep(param: tf.Tensor, grad: tf.Tensor, state: tf.Tensor1D, sumSquares: tf.Scalar, attrs: AdamAttrs): AdamStepResult {
  if (!backendImplements(ADAM)) {
    return tf.tidy(() => {
      const { lr, beta1, beta2, epsilon, step, weightDecay } = attrs;
      const [m, v] = tf.split(state, 2).map((t) => tf.reshape(t, param.shape));
      const decay = tf.div(weightDecay, tf.maximum(tf.sqrt(sumSquares), 1e-12));
      const g = tf.add(grad, tf.mul(param, decay));
      const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const mHat = tf.div(m2, 1 - beta1 ** step);
      const vHat = tf.div(v2, 1 - beta2 ** step);
      const p2 = tf.sub(param, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), lr));
      return { param: p2, state: tf.concat([tf.reshape(m2, [-1]), tf.reshape(v2, [-1])]) as tf.Tensor1D };
    });
  }
  const [p2, s2] = dispatch<tf.Tensor[]>(ADAM, { param, grad, state, sumSquares }, attrs);
  return { param: p2, state: s2 as tf.Tensor1D };
}
