// A dense row-major array's CSR row pointers, counted in one pass before any entry is copied.

/** The most entries a CSR's Int32Array row pointers can count. */
export const MAX_CSR_ENTRIES = 2 ** 31 - 1;

/**
 * The row pointers of `rows` dense rows of `cols` values (each row's non-zeros counted), or null as soon as more
 * than `maxNonZeros` (at most MAX_CSR_ENTRIES) are found.
 */
export function rowPointersOf(dense: ArrayLike<number>, rows: number, cols: number, maxNonZeros = MAX_CSR_ENTRIES): Int32Array | null {
  const most = Math.min(maxNonZeros, MAX_CSR_ENTRIES);
  const rowPtr = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let c = i * cols; c < (i + 1) * cols; c++) if (dense[c] !== 0) total++;
    if (total > most) return null;
    rowPtr[i + 1] = total;
  }
  return rowPtr;
}
