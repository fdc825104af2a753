// The transpose of a dense matrix, and of a square one skipped where it is symmetric (a GCN's normalised adjacency is).

/** The rows x cols row-major matrix m, transposed. */
export function transposeMatrix(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
  return t;
}

/** The transpose of a dense n x n matrix (row-major), or null when it is symmetric. */
export function transposeDense(m: Float32Array, n: number): Float32Array | null {
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) {
    for (let j = i + 1; j < n; j++) {
      if (m[i * n + j] !== m[j * n + i]) {
        symmetric = false;
        break;
      }
    }
  }
  return symmetric ? null : transposeMatrix(m, n, n);
}
