// spmm: sparse (CSR) x dense, differentiable in the dense operand; the gradient multiplies by the transpose.
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { columnSum } from './column-sum.js';
import { SPMM, type SpmmAttrs } from './kernel-names.js';
import { hasKernel, runKernel } from './run-kernel.js';
import type { DeviceCsr, SparseMatrix } from './sparse-matrix.js';

/** A @ b (+ bias), A sparse on the device. Gradients flow to b and bias. */
export function spmm(a: SparseMatrix, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  if (b.rank !== 2 || b.shape[0] !== a.cols) {
    throw new ShapeError('dense operand of spmm', `[${a.cols}, k] (A is ${a.rows} x ${a.cols})`, `[${b.shape}]`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== b.shape[1])) {
    throw new ShapeError('bias of spmm', `[${b.shape[1]}]`, `[${bias.shape}]`);
  }
  if (!hasKernel(SPMM)) return spmmFromStockOps(a, b, bias);
  return runSpmm(a.a, a.transposed, a.rows, a.cols, b, bias);
}

function runSpmm(a: DeviceCsr, t: DeviceCsr, rows: number, cols: number, b: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = {
    rowPtr: a.rowPtr,
    colIndex: a.colIndex,
    values: a.values,
    tRowPtr: t.rowPtr,
    tColIndex: t.colIndex,
    tValues: t.values,
    b,
  };
  if (bias) inputs.bias = bias;
  const attrs: SpmmAttrs = { rows, cols };
  return runKernel(SPMM, inputs, attrs);
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
  inputsToSave: ['rowPtr', 'colIndex', 'values', 'tRowPtr', 'tColIndex', 'tValues'],
  gradFunc: (dy, saved, attrs) => {
    const [rowPtr, colIndex, values, tRowPtr, tColIndex, tValues] = saved as tf.Tensor1D[];
    const { rows, cols } = attrs as unknown as SpmmAttrs;
    const d = dy as tf.Tensor2D;
    return {
      b: () =>
        runSpmm(
          { rowPtr: tRowPtr, colIndex: tColIndex, values: tValues },
          { rowPtr, colIndex, values },
          cols,
          rows,
          d,
        ),
      bias: () => columnSum(d),
    };
  },
};
