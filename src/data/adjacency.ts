// The GCN's propagation matrix: edges made undirected and deduplicated, then D^-1/2 (A+I) D^-1/2.
import { ShapeError } from '../errors.js';
import { CsrMatrix } from '../sparse/index.js';

/**
 * The binary, symmetric adjacency of an edge list: each edge in both directions, duplicates and self loops
 * dropped, columns ascending. Linear in the number of edges (plus a sort within each row).
 */
export function undirectedAdjacency(numNodes: number, source: ArrayLike<number>, target: ArrayLike<number>): CsrMatrix {
  if (source.length !== target.length) throw new ShapeError('edge list', `${source.length} targets`, `${target.length}`);
  const count = new Int32Array(numNodes + 1);
  for (let k = 0; k < source.length; k++) {
    const s = source[k];
    const t = target[k];
    if (!(s >= 0 && s < numNodes && t >= 0 && t < numNodes)) {
      throw new ShapeError(`edge ${k}`, `node ids in 0..${numNodes - 1}`, `(${s}, ${t})`);
    }
    if (s !== t) {
      count[s + 1]++;
      count[t + 1]++;
    }
  }
  for (let i = 0; i < numNodes; i++) count[i + 1] += count[i];
  const fill = count.slice(0, numNodes);
  const cols = new Int32Array(count[numNodes]);
  for (let k = 0; k < source.length; k++) {
    const s = source[k];
    const t = target[k];
    if (s !== t) {
      cols[fill[s]++] = t;
      cols[fill[t]++] = s;
    }
  }
  const rowPtr = new Int32Array(numNodes + 1);
  let out = 0;
  for (let i = 0; i < numNodes; i++) {
    const row = cols.subarray(count[i], count[i + 1]).sort();
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) cols[out++] = row[k];
    rowPtr[i + 1] = out;
  }
  return new CsrMatrix(numNodes, numNodes, rowPtr, cols.slice(0, out), new Float32Array(out).fill(1));
}

/** D^-1/2 (A+I) D^-1/2 of a binary symmetric adjacency without self loops (what undirectedAdjacency returns). */
export function normalizeUndirected(pattern: CsrMatrix): CsrMatrix {
  const n = pattern.rows;
  const invSqrtDegree = new Float64Array(n);
  for (let i = 0; i < n; i++) invSqrtDegree[i] = 1 / Math.sqrt(pattern.rowPtr[i + 1] - pattern.rowPtr[i] + 1);
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(pattern.nnz + n);
  const values = new Float32Array(pattern.nnz + n);
  let out = 0;
  for (let i = 0; i < n; i++) {
    let diagonalDone = false;
    for (let k = pattern.rowPtr[i]; k <= pattern.rowPtr[i + 1]; k++) {
      const j = k < pattern.rowPtr[i + 1] ? pattern.colIndex[k] : n;
      if (!diagonalDone && j > i) {
        cols[out] = i;
        values[out++] = invSqrtDegree[i] * invSqrtDegree[i];
        diagonalDone = true;
      }
      if (j < n) {
        cols[out] = j;
        values[out++] = invSqrtDegree[i] * invSqrtDegree[j];
      }
    }
    rowPtr[i + 1] = out;
  }
  return new CsrMatrix(n, n, rowPtr, cols, values);
}

/**
 * The normalised adjacency D^-1/2 (A+I) D^-1/2 of any square adjacency: entries are read as edges (their values
 * ignored), made undirected, deduplicated and stripped of self loops before I is added, as Kipf & Welling do.
 */
export function normalizeAdjacency(adjacency: CsrMatrix): CsrMatrix {
  if (adjacency.rows !== adjacency.cols) {
    throw new ShapeError('adjacency', 'a square matrix', `${adjacency.rows} x ${adjacency.cols}`);
  }
  const source = new Int32Array(adjacency.nnz);
  for (let i = 0; i < adjacency.rows; i++) source.fill(i, adjacency.rowPtr[i], adjacency.rowPtr[i + 1]);
  return normalizeUndirected(undirectedAdjacency(adjacency.rows, source, adjacency.colIndex));
}
