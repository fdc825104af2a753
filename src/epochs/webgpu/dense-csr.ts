// Dense rows as CSR in two passes over them (count, then fill typed arrays): no JS arrays, no COO in between.
import { CsrMatrix } from '../../sparse/index.js';

/** The most entries a CSR's Int32Array row pointers can count. */
const MAX_INT32 = 2 ** 31 - 1;

/**
 * The row pointers of `rows` dense rows of `cols` floats (each row's non-zeros counted), or null as soon as more
 * than `maxNonZeros` (at most 2^31 - 1, which Int32Array pointers can hold) are found.
 */
export function rowPointersOf(dense: Float32Array, rows: number, cols: number, maxNonZeros = MAX_INT32): Int32Array | null {
  const most = Math.min(maxNonZeros, MAX_INT32);
  const rowPtr = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let c = i * cols; c < (i + 1) * cols; c++) if (dense[c] !== 0) total++;
    if (total > most) return null;
    rowPtr[i + 1] = total;
  }
  return rowPtr;
}

/** The CSR of dense rows of `cols` floats whose non-zeros rowPtr counts. */
export function csrOf(dense: Float32Array, cols: number, rowPtr: Int32Array): CsrMatrix {
  const n = rowPtr.length - 1;
  const colIndex = new Int32Array(rowPtr[n]);
  const values = new Float32Array(rowPtr[n]);
  for (let i = 0, p = 0; i < n; i++) {
    for (let c = 0, at = i * cols; c < cols; c++) {
      if (dense[at + c] !== 0) {
        colIndex[p] = c;
        values[p++] = dense[at + c];
      }
    }
  }
  return new CsrMatrix(n, cols, rowPtr, colIndex, values);
}
