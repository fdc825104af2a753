// The transpose of a dense square matrix, skipped where it is symmetric (a GCN's normalised adjacency is).

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
  if (symmetric) return null;
  const t = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}
