// spmm: sparse (CSR) x dense, differentiable in the dense operand; the gradient multiplies by the transpose.
import * as tf from '@tensorflow/tfjs-core';
import { GcnlabError, ShapeError } from '../errors.js';
import { columnSum } from './column-sum.js';
import { SPMM, type SpmmAttrs } from './op-names.js';
import { backendImplements, dispatch } from './dispatch.js';
import { sparseOperand } from './operands.js';
import type { SparseMatrix } from './sparse-matrix.js';

/** A @ b (+ bias), A sparse on the device. Gradients flow to b and bias. */
export function spmm(a: SparseMatrix, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  if (b.rank !== 2 || b.shape[0] !== a.cols) {
    throw new ShapeError('dense operand of spmm', `[${a.cols}, k] (A is ${a.rows} x ${a.cols})`, `[${b.shape}]`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== b.shape[1])) {
    throw new ShapeError('bias of spmm', `[${b.shape[1]}]`, `[${bias.shape}]`);
  }
  if (a.isDisposed) throw new GcnlabError('DISPOSED', 'spmm: the SparseMatrix was disposed; make it again with sparseMatrix(csr), or dispose it after its last product');
  if (!backendImplements(SPMM)) return spmmFromStockOps(a, b, bias);
  return runSpmm(a.id, b, bias);
}

/** The CSR arrays are inputs (the data flow stays visible); the gradient finds A^T through the matrix id. */
function runSpmm(matrixId: number, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const { csr, rows, cols } = sparseOperand(matrixId);
  const inputs: tf.NamedTensorMap = { rowPtr: csr.rowPtr, colIndex: csr.colIndex, values: csr.values, b };
  if (bias) inputs.bias = bias;
  const attrs: SpmmAttrs = { rows, cols, matrixId };
  return dispatch(SPMM, inputs, attrs);
}

/** For backends without gcnlab's kernels (tfjs-node): gather the rows, scale, and sum them per output row. */
export function spmmFromStockOps(a: SparseMatrix, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const scaled = tf.mul(tf.gather(b, a.a.colIndex), tf.expandDims(a.a.values, 1));
    const out = tf.unsortedSegmentSum(scaled, a.rowIndex(), a.rows) as tf.Tensor2D;
    return bias ? tf.add(out, bias) : out;
  });
}

export const spmmGradConfig: tf.GradConfig = {
  kernelName: SPMM,
  gradFunc: (dy, _saved, attrs) => {
    const { matrixId } = attrs as unknown as SpmmAttrs;
    const d = dy as tf.Tensor2D;
    return {
      b: () => runSpmm(sparseOperand(matrixId).transposeId, d),
      bias: () => columnSum(d),
    };
  },
};
