// sumSquares: the sum of squared entries of several tensors in one kernel (the article's L2 term), and scale.
import * as tf from '@tensorflow/tfjs-core';
import { SCALE, SUM_SQUARES, type ScaleAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

export function sumSquares(tensors: tf.Tensor[]): tf.Scalar {
  if (!backendImplements(SUM_SQUARES)) return tf.tidy(() => tf.addN(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Scalar);
  return dispatch(SUM_SQUARES, tensors);
}

/** x * s * factor, s a one-element tensor (kept on the device: no read-back). */
export function scale<T extends tf.Tensor>(x: T, s: tf.Tensor, factor = 1): T {
  if (!backendImplements(SCALE)) return tf.tidy(() => tf.mul(x, tf.mul(tf.reshape(s, []), factor))) as T;
  const attrs: ScaleAttrs = { factor };
  return dispatch(SCALE, { x, s }, attrs);
}

export const sumSquaresGradConfig: tf.GradConfig = {
  kernelName: SUM_SQUARES,
  saveAllInputs: true,
  gradFunc: (dy, saved) => {
    const grads: Record<string, () => tf.Tensor> = {};
    saved.forEach((x, i) => {
      grads[i] = () => scale(x, dy as tf.Tensor, 2);
    });
    return grads;
  },
};

export const scaleGradConfig: tf.GradConfig = {
  kernelName: SCALE,
  inputsToSave: ['x', 's'],
  gradFunc: (dy, saved, attrs) => {
    const [x, s] = saved;
    const { factor } = attrs as unknown as ScaleAttrs;
    return {
      x: () => scale(dy as tf.Tensor, s, factor),
      s: () => tf.reshape(tf.mul(tf.sum(tf.mul(dy as tf.Tensor, x)), factor), s.shape),
    };
  },
};
