// A sparse matrix on the device: CSR arrays as tensors, with the transpose the gradient multiplies by.
import * as tf from '@tensorflow/tfjs-core';
import { DisposedError } from '../errors.js';
import type { CsrMatrix } from '../sparse/index.js';
import { registerSparse, unregisterSparse, type DeviceCsr } from './operands.js';

/**
 * A CsrMatrix uploaded to the current device, for `spmm`. A^T, which the gradient of `A @ b` multiplies by, is
 * made and uploaded on first use (shared with A when A is symmetric, as a GCN's normalised adjacency is): a run
 * that never differentiates through the tape (fused epochs, inference) never pays for it, which on a 10^6-node
 * graph is the transpose of 18 million feature entries. Dispose it when done.
 */
export class SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  readonly a: DeviceCsr;
  /** How kernels and gradients refer to A and to A^T. */
  readonly id: number;
  readonly transposeId: number;
  private transposedCsr: DeviceCsr | null = null;
  private isSymmetric = false;
  private rowIndexTensor: tf.Tensor1D | null = null;
  private disposedFlag = false;

  constructor(readonly host: CsrMatrix) {
    this.rows = host.rows;
    this.cols = host.cols;
    this.nnz = host.nnz;
    this.a = upload(host);
    this.id = registerSparse((id) => ({ csr: this.a, rows: this.rows, cols: this.cols, transposeId: id + 1 }));
    const matrix = this;
    this.transposeId = registerSparse((id) => ({
      get csr() {
        return matrix.transposed;
      },
      rows: this.cols,
      cols: this.rows,
      transposeId: id - 1,
    }));
  }

  /** A^T on the device, made on first use. */
  get transposed(): DeviceCsr {
    if (!this.transposedCsr) {
      if (this.disposedFlag) throw new DisposedError('SparseMatrix: this matrix', 'before its transpose was asked', 'keep the matrix until its last product');
      const t = this.host.transpose();
      this.isSymmetric = this.host.rows === this.host.cols && sameCsr(this.host, t);
      this.transposedCsr = this.isSymmetric ? this.a : upload(t);
    }
    return this.transposedCsr;
  }

  /** Whether A^T is A (then `transposed` is the same tensors). */
  get symmetric(): boolean {
    void this.transposed;
    return this.isSymmetric;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** The row of every entry (COO form), made on first use: only the stock-ops fallback needs it. */
  rowIndex(): tf.Tensor1D {
    if (!this.rowIndexTensor) {
      const rows = new Int32Array(this.nnz);
      for (let i = 0; i < this.rows; i++) rows.fill(i, this.host.rowPtr[i], this.host.rowPtr[i + 1]);
      this.rowIndexTensor = tf.keep(tf.tensor1d(rows, 'int32'));
    }
    return this.rowIndexTensor;
  }

  /** Frees the device memory (idempotent). */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    unregisterSparse(this.id);
    unregisterSparse(this.transposeId);
    tf.dispose([this.a.rowPtr, this.a.colIndex, this.a.values]);
    const t = this.transposedCsr;
    if (t && t !== this.a) tf.dispose([t.rowPtr, t.colIndex, t.values]);
    this.rowIndexTensor?.dispose();
  }
}

function upload(m: CsrMatrix): DeviceCsr {
  // Kept: a SparseMatrix outlives any tidy() it is made in, like a Variable.
  return {
    rowPtr: tf.keep(tf.tensor1d(m.rowPtr, 'int32')),
    colIndex: tf.keep(tf.tensor1d(m.colIndex, 'int32')),
    values: tf.keep(tf.tensor1d(m.values, 'float32')),
  };
}

function sameCsr(a: CsrMatrix, b: CsrMatrix): boolean {
  if (a.nnz !== b.nnz) return false;
  for (let i = 0; i <= a.rows; i++) if (a.rowPtr[i] !== b.rowPtr[i]) return false;
  for (let k = 0; k < a.nnz; k++) if (a.colIndex[k] !== b.colIndex[k] || a.values[k] !== b.values[k]) return false;
  return true;
}

/** Uploads a host CSR matrix to the current device. */
export function sparseMatrix(csr: CsrMatrix): SparseMatrix {
  return new SparseMatrix(csr);
}
