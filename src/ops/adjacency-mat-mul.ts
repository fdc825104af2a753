// adjacencyMatMul: adj @ x for a constant dense adjacency, the article's form of the GCN's propagation step.
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { denseConstant, denseConstantId } from './operands.js';
import { CONSTANT_MAT_MUL, type ConstantMatMulAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';

/**
 * adj @ x where adj is a constant (no gradient wrt adj; x gets adj^T @ dy). Unlike matMul, the gradient does not
 * save adj but refers to it, so keep adj alive until the backward pass has run.
 */
export function adjacencyMatMul(adj: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  if (adj.rank !== 2 || x.rank !== 2 || adj.shape[1] !== x.shape[0]) {
    throw new ShapeError('operands of adj @ x', `[n, m] and [m, k]`, `[${adj.shape}] and [${x.shape}]`);
  }
  if (!backendImplements(CONSTANT_MAT_MUL)) return tf.matMul(adj, x);
  return run(adj, x, denseConstantId(adj), false);
}

function run(a: tf.Tensor, b: tf.Tensor, constantId: number, transposeA: boolean): tf.Tensor2D {
  const attrs: ConstantMatMulAttrs = { transposeA, transposeB: false, constantId };
  return dispatch(CONSTANT_MAT_MUL, { a, b }, attrs);
}

export const adjacencyMatMulGradConfig: tf.GradConfig = {
  kernelName: CONSTANT_MAT_MUL,
  gradFunc: (dy, _saved, attrs) => {
    const { constantId, transposeA } = attrs as unknown as ConstantMatMulAttrs;
    return { b: () => run(denseConstant(constantId), dy as tf.Tensor, constantId, !transposeA) };
  },
};
