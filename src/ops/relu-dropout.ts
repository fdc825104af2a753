// reluDropout: relu then inverted dropout (keep with probability 1 - rate, scale by 1 / (1 - rate)), fused.
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors.js';
import { RELU_DROPOUT, RELU_DROPOUT_GRAD, type ReluDropoutAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

/**
 * relu(x) with dropout at `rate` (0 = relu only). The mask comes from a counter-based hash of `seed`, so one
 * seed drops the same entries on cpu, wasm and webgpu.
 */
export function reluDropout(x: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  if (!(rate >= 0 && rate < 1)) throw new InvalidOptionError('dropout rate', rate, 'a number in [0, 1)');
  if (!backendImplements(RELU_DROPOUT)) {
    return tf.tidy(() => (rate === 0 ? tf.relu(x) : (tf.dropout(tf.relu(x), rate, undefined, seed) as tf.Tensor2D)));
  }
  const attrs: ReluDropoutAttrs = { rate, seed: seed >>> 0 };
  return dispatch(RELU_DROPOUT, { x }, attrs);
}

export const reluDropoutGradConfig: tf.GradConfig = {
  kernelName: RELU_DROPOUT,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved;
    return { x: () => dispatch<tf.Tensor>(RELU_DROPOUT_GRAD, { dy: dy as tf.Tensor, y }, { rate: (attrs as unknown as ReluDropoutAttrs).rate }) };
  },
};
