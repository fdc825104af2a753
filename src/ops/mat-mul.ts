// matMul: dense x dense (+ bias), differentiable; on host backends it skips the zeros of the left operand.
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors.js';
import { columnSum } from './column-sum.js';
import { MAT_MUL, type MatMulAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

export interface MatMulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: tf.Tensor1D;
}

/** a @ b (+ bias), with optional transposes. Gradients flow to a, b and bias (first order, no transposes). */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, options: MatMulOptions = {}): tf.Tensor2D {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  const inner = transposeA ? a.shape[0] : a.shape[1];
  const innerB = transposeB ? b.shape[1] : b.shape[0];
  if (a.rank !== 2 || b.rank !== 2 || inner !== innerB) {
    throw new ShapeError('operands of matMul', `inner dimensions that agree (${inner})`, `[${a.shape}] and [${b.shape}]`);
  }
  const n = transposeB ? b.shape[0] : b.shape[1];
  if (options.bias && (options.bias.rank !== 1 || options.bias.shape[0] !== n)) {
    throw new ShapeError('bias of matMul', `[${n}]`, `[${options.bias.shape}]`);
  }
  if (!backendImplements(MAT_MUL)) {
    return tf.tidy(() => {
      const out = tf.matMul<tf.Tensor2D>(a, b, transposeA, transposeB);
      return options.bias ? tf.add<tf.Tensor2D>(out, options.bias) : out;
    });
  }
  const inputs: tf.NamedTensorMap = { a, b };
  if (options.bias) inputs.bias = options.bias;
  const attrs: MatMulAttrs = { transposeA, transposeB };
  return dispatch(MAT_MUL, inputs, attrs);
}

export const matMulGradConfig: tf.GradConfig = {
  kernelName: MAT_MUL,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as tf.Tensor2D[];
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    if (transposeA || transposeB) {
      throw new InvalidOptionError('transposeA/transposeB of a differentiated gcnlab matMul', true, 'false (tf.matMul differentiates transposed products)');
    }
    const d = dy as tf.Tensor2D;
    return {
      a: () => matMul(d, b, { transposeB: true }),
      b: () => matMul(a, d, { transposeA: true }),
      bias: () => columnSum(d),
    };
  },
};
