// columnSum: the sum of a matrix's rows (a bias's gradient).
import * as tf from '@tensorflow/tfjs-core';
import { COLUMN_SUM } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

export function columnSum(x: tf.Tensor2D): tf.Tensor1D {
  if (!backendImplements(COLUMN_SUM)) return tf.sum(x, 0);
  return dispatch(COLUMN_SUM, { x });
}

export const columnSumGradConfig: tf.GradConfig = {
  kernelName: COLUMN_SUM,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => tf.broadcastTo(tf.reshape(dy as tf.Tensor, [1, -1]), x.shape) };
  },
};
