// A sparse matrix in host memory, stored as compressed sparse rows (CSR): the form our kernels consume.
import { InvalidMatrixError, ShapeError } from '../errors.js';
import { MAX_CSR_ENTRIES, rowPointersOf } from './row-pointers.js';

export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** rowPtr[i]..rowPtr[i+1] index the entries of row i; length rows + 1. */
    readonly rowPtr: Int32Array,
    /** Column of each entry, ascending within a row. */
    readonly colIndex: Int32Array,
    readonly values: Float32Array,
  ) {
    checkSizes(rows, cols);
    if (rowPtr.length !== rows + 1) throw new ShapeError('CSR rowPtr', `length ${rows + 1}`, `length ${rowPtr.length}`);
    if (colIndex.length !== values.length || rowPtr[rows] !== values.length) {
      throw new ShapeError('CSR entries', `${rowPtr[rows]} column indices and values`, `${colIndex.length} and ${values.length}`);
    }
    checkCsr(rows, cols, rowPtr, colIndex);
  }

  get nnz(): number {
    return this.values.length;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Fraction of entries that are zero. */
  get sparsity(): number {
    return 1 - this.nnz / (this.rows * this.cols);
  }

  /** Builds a CSR matrix from coordinate triples; duplicates are summed. */
  static fromCoo(rows: number, cols: number, rowIdx: ArrayLike<number>, colIdx: ArrayLike<number>, vals?: ArrayLike<number>): CsrMatrix {
    checkSizes(rows, cols);
    const n = rowIdx.length;
    if (colIdx.length !== n || (vals && vals.length !== n)) {
      throw new ShapeError('COO triples', `${n} rows, columns and values`, `${n}, ${colIdx.length}, ${vals?.length ?? n}`);
    }
    const count = new Int32Array(rows + 1);
    for (let k = 0; k < n; k++) {
      const r = rowIdx[k];
      const c = colIdx[k];
      if (r < 0 || r >= rows || c < 0 || c >= cols) {
        throw new ShapeError(`COO entry ${k}`, `row < ${rows} and column < ${cols}`, `(${r}, ${c})`);
      }
      count[r + 1]++;
    }
    for (let i = 0; i < rows; i++) count[i + 1] += count[i];
    const order = new Int32Array(n);
    const fill = count.slice(0, rows);
    for (let k = 0; k < n; k++) order[fill[rowIdx[k]]++] = k;
    const rowPtr = new Int32Array(rows + 1);
    const colOut: number[] = [];
    const valOut: number[] = [];
    for (let i = 0; i < rows; i++) {
      const entries = Array.from(order.subarray(count[i], count[i + 1])).sort((a, b) => colIdx[a] - colIdx[b]);
      let last = -1;
      for (const k of entries) {
        const v = vals ? vals[k] : 1;
        if (colIdx[k] === last) valOut[valOut.length - 1] += v;
        else {
          colOut.push(colIdx[k]);
          valOut.push(v);
          last = colIdx[k];
        }
      }
      rowPtr[i + 1] = colOut.length;
    }
    return new CsrMatrix(rows, cols, rowPtr, Int32Array.from(colOut), Float32Array.from(valOut));
  }

  /** Builds a CSR matrix from a dense row-major array, keeping the non-zeros (each row counted, then copied). */
  static fromDense(rows: number, cols: number, dense: ArrayLike<number>): CsrMatrix {
    checkSizes(rows, cols);
    if (dense.length !== rows * cols) throw new ShapeError('dense matrix', `${rows * cols} values`, `${dense.length}`);
    const rowPtr = rowPointersOf(dense, rows, cols);
    if (rowPtr === null) throw new ShapeError('dense matrix', `at most ${MAX_CSR_ENTRIES} non-zeros (a CSR's Int32 row pointers)`, 'more non-zeros');
    return CsrMatrix.fromDenseRows(rows, cols, dense, rowPtr);
  }

  /** The CSR of a dense row-major array whose non-zeros rowPtr counts (rowPointersOf). */
  static fromDenseRows(rows: number, cols: number, dense: ArrayLike<number>, rowPtr: Int32Array): CsrMatrix {
    const colIndex = new Int32Array(rowPtr[rows]);
    const values = new Float32Array(rowPtr[rows]);
    for (let i = 0, p = 0; i < rows; i++) {
      for (let j = 0, at = i * cols; j < cols; j++) {
        if (dense[at + j] !== 0) {
          colIndex[p] = j;
          values[p++] = dense[at + j];
        }
      }
    }
    return new CsrMatrix(rows, cols, rowPtr, colIndex, values);
  }

  /** The dense row-major copy (rows x cols float32). */
  toDense(): Float32Array {
    const out = new Float32Array(this.rows * this.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let k = this.rowPtr[i]; k < this.rowPtr[i + 1]; k++) out[i * this.cols + this.colIndex[k]] += this.values[k];
    }
    return out;
  }

  private transposed?: CsrMatrix;

  /**
   * The transpose, also in CSR (the CSC form of this matrix). Computed once and kept: a matrix is not changed after
   * it is built, and training asks for X^T and A^T in every run.
   */
  transpose(): CsrMatrix {
    this.transposed ??= this.computeTranspose();
    return this.transposed;
  }

  private computeTranspose(): CsrMatrix {
    const count = new Int32Array(this.cols + 1);
    for (let k = 0; k < this.nnz; k++) count[this.colIndex[k] + 1]++;
    for (let j = 0; j < this.cols; j++) count[j + 1] += count[j];
    const fill = count.slice(0, this.cols);
    const col = new Int32Array(this.nnz);
    const val = new Float32Array(this.nnz);
    for (let i = 0; i < this.rows; i++) {
      for (let k = this.rowPtr[i]; k < this.rowPtr[i + 1]; k++) {
        const dst = fill[this.colIndex[k]]++;
        col[dst] = i;
        val[dst] = this.values[k];
      }
    }
    const result = new CsrMatrix(this.cols, this.rows, count, col, val);
    result.transposed = this;
    return result;
  }

  /** Rows selected by index, in the order given. */
  selectRows(rows: ArrayLike<number>): CsrMatrix {
    for (let i = 0; i < rows.length; i++) {
      if (!(Number.isInteger(rows[i]) && rows[i] >= 0 && rows[i] < this.rows)) {
        throw new InvalidMatrixError(`the rows selected from a CSR matrix (${this.rows} x ${this.cols})`, `row ${rows[i]} (entry ${i}) is outside 0..${this.rows - 1}`);
      }
    }
    const rowPtr = new Int32Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) rowPtr[i + 1] = rowPtr[i] + this.rowPtr[rows[i] + 1] - this.rowPtr[rows[i]];
    const col = new Int32Array(rowPtr[rows.length]);
    const val = new Float32Array(rowPtr[rows.length]);
    for (let i = 0; i < rows.length; i++) {
      const start = this.rowPtr[rows[i]];
      const end = this.rowPtr[rows[i] + 1];
      col.set(this.colIndex.subarray(start, end), rowPtr[i]);
      val.set(this.values.subarray(start, end), rowPtr[i]);
    }
    return new CsrMatrix(rows.length, this.cols, rowPtr, col, val);
  }
}

/**
 * What the kernels rely on and the constructor's length checks do not cover: whole sizes, row pointers from 0 that
 * never decrease (so every row's entries lie within the arrays), and column indices inside the matrix. Without it a
 * jumping pointer sizes arrays from garbage, and an index past the last column is dropped or misplaced silently.
 */
function checkCsr(rows: number, cols: number, rowPtr: ArrayLike<number>, colIndex: ArrayLike<number>): void {
  const what = `CSR matrix (${rows} x ${cols})`;
  if (rowPtr[0] !== 0) throw new InvalidMatrixError(what, `rowPtr[0] = ${rowPtr[0]}, expected 0`);
  for (let i = 0; i < rows; i++) {
    if (!(rowPtr[i + 1] >= rowPtr[i])) {
      throw new InvalidMatrixError(what, `rowPtr[${i + 1}] = ${rowPtr[i + 1]} is less than rowPtr[${i}] = ${rowPtr[i]} (row pointers never decrease)`);
    }
  }
  for (let k = 0; k < colIndex.length; k++) {
    if (!(colIndex[k] >= 0 && colIndex[k] < cols)) throw new InvalidMatrixError(what, `colIndex[${k}] = ${colIndex[k]} is outside 0..${cols - 1}`);
  }
}

function checkSizes(rows: number, cols: number): void {
  for (const [name, size] of [['rows', rows], ['cols', cols]] as const) {
    if (!(Number.isInteger(size) && size >= 0 && size < 2 ** 31)) {
      throw new InvalidMatrixError(`CSR matrix (${rows} x ${cols})`, `${name} = ${size}, expected a whole number from 0 to ${2 ** 31 - 1}`);
    }
  }
}
