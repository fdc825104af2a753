// adamStep: one fused Adam update of one parameter, the weight-decay gradient folded into the same pass.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM, type AdamAttrs } from './kernel-names.js';
import { hasKernel, runKernel } from './run-kernel.js';

export interface AdamStepResult {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * g = grad + decay * param; m, v updated; param - lr * m_hat / (sqrt(v_hat) + epsilon), with PyTorch's and
 * tf.train.adam's bias correction. `decay` is a one-element tensor so it can stay on the device.
 */
export function adamStep(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, decay: tf.Tensor, attrs: AdamAttrs): AdamStepResult {
  if (!hasKernel(ADAM)) {
    return tf.tidy(() => {
      const { lr, beta1, beta2, epsilon, step } = attrs;
      const g = tf.add(grad, tf.mul(param, tf.reshape(decay, [])));
      const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const mHat = tf.div(m2, 1 - beta1 ** step);
      const vHat = tf.div(v2, 1 - beta2 ** step);
      const p2 = tf.sub(param, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), lr));
      return { param: p2, m: m2, v: v2 };
    });
  }
  const [p2, m2, v2] = runKernel<tf.Tensor[]>(ADAM, { param, grad, m, v, decay }, attrs);
  return { param: p2, m: m2, v: v2 };
}
