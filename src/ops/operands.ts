// The registry of constant operands (a sparse matrix and its transpose, a dense adjacency) that gradients refer to by
// id instead of saving them: saving clones a tensor, and tfjs-wasm's clone copies it (29 MB twice an epoch for Cora's
// dense adjacency).
import type * as tf from '@tensorflow/tfjs-core';
import { DisposedError } from '../errors.js';

/** The three CSR arrays of one matrix, on the device. */
export interface DeviceCsr {
  rowPtr: tf.Tensor1D;
  colIndex: tf.Tensor1D;
  values: tf.Tensor1D;
}

/** One orientation of a sparse matrix: what spmm multiplies by, and the id of its transpose. */
export interface SparseOperand {
  csr: DeviceCsr;
  rows: number;
  cols: number;
  transposeId: number;
}

let nextId = 1;
const sparse = new Map<number, SparseOperand>();
const dense = new Map<number, WeakRef<tf.Tensor>>();
const denseIds = new WeakMap<tf.Tensor, number>();

export function registerSparse(make: (id: number) => SparseOperand): number {
  const id = nextId++;
  sparse.set(id, make(id));
  return id;
}

export function unregisterSparse(id: number): void {
  sparse.delete(id);
}

export function sparseOperand(id: number): SparseOperand {
  const operand = sparse.get(id);
  if (!operand) throw new DisposedError('spmm: the SparseMatrix of this product', 'before its gradient was computed', 'dispose it after the gradient');
  return operand;
}

/** The id of a dense constant operand, the same for every call with one tensor. */
export function denseConstantId(t: tf.Tensor): number {
  let id = denseIds.get(t);
  if (id === undefined) {
    id = nextId++;
    denseIds.set(t, id);
    dense.set(id, new WeakRef(t));
  }
  return id;
}

export function denseConstant(id: number): tf.Tensor {
  const t = dense.get(id)?.deref();
  if (!t || t.isDisposed) {
    throw new DisposedError('adjacencyMatMul: the dense adjacency of this product', 'before its gradient was computed', 'dispose it after the gradient');
  }
  return t;
}
