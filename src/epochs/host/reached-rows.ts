// The backward pass of a masked loss over only the rows it reaches. dZ is zero outside the training rows, so the last
// layer's A^T @ dZ is non-zero only on their neighbours, the layer below's A^T @ dH only on those neighbours'
// neighbours, and so on, one step through the adjacency per layer; every other row of every gradient is zero. With
// few labels on a large graph (140 of 10^6 nodes) these are a small part of it, and the backward costs that part
// instead of the whole graph; a dense adjacency is then read only in the reached rows. The forward pass still
// computes every node.
import { reluDropoutGradRange } from '../../ops/index.js';

/** A CSR pattern as these loops read it. */
export interface CsrArrays {
  rows: number;
  rowPtr: Int32Array;
  colIndex: Int32Array;
  values: Float32Array;
}

/** An adjacency as reached rows are found in it: CSR, or dense n x n (row-major). */
export type AdjacencyArrays = CsrArrays | Float32Array;

/**
 * The rows each backward product can make non-zero: steps[0] the rows with a non-zero training weight (where dZ can
 * be non-zero), steps[d] the rows reached from those in d steps through the adjacency. A model of L layers reads
 * steps 0 to L: the layer at depth d from the top (the last layer at 0) takes a gradient non-zero on steps[d] and
 * gives one non-zero on steps[d + 1].
 */
export type ReachedRows = Int32Array[];

/**
 * Which rows the backward pass computes: 'all', or 'reached' (only the rows the training rows' gradient reaches
 * through the adjacency, CSR or dense). 'auto' takes 'reached' where it is less work.
 */
export type BackwardRows = 'auto' | 'all' | 'reached';

/** What the choice weighs: the node count and each layer's widths. */
export interface BackwardDims {
  nodes: number;
  layers: readonly { inputs: number; outputs: number }[];
}

/**
 * The reached rows where the backward should compute only them (see BackwardRows), else null. `x` is the features,
 * CSR or dense (nodes x layers[0].inputs).
 */
export function chooseBackwardRows(
  choice: BackwardRows,
  a: AdjacencyArrays,
  x: CsrArrays | Float32Array,
  trainMask: Uint8Array,
  dims: BackwardDims,
  simd: boolean,
): ReachedRows | null {
  if (choice === 'all') return null;
  const { nodes: n, layers } = dims;
  const steps = reachedRows(a, trainMask, layers.length);
  if (choice === 'reached') return steps;
  // Multiply-adds (a dense row: its reads) of each way. Where SIMD runs, the full backward's products are SIMD and
  // so are the reached rows' scatters of widths the kernels take (sparse: a multiple of 4); the rest is weighed at
  // plain JavaScript's speed, about an eighth of SIMD's per multiply-add. The row-wise products over the reached rows
  // are SIMD too but stay weighed that way: a scatter's read-modify-writes cost more than a gather's reads, and
  // weighed any lighter the estimate picks the reached rows on Cora, where they measured slower (0.63 against 0.53
  // ms/epoch on wasm; synthetic graphs of 10^4 nodes and more measured faster with them).
  const slow = simd ? 8 : 1;
  const wide = (w: number, dense: boolean) => (simd && w >= 4 && (dense || w % 4 === 0) ? 1 : slow);
  const aDense = a instanceof Float32Array;
  const xDense = x instanceof Float32Array;
  const f = layers[0].inputs;
  const aAll = (w: number) => (aDense ? n * n : a.rowPtr[n] * w);
  const aScan = (rows: Int32Array, w: number) => (aDense ? rows.length * n : nonZerosIn(a, rows) * w) * wide(w, aDense);
  const xAll = (w: number) => (xDense ? n * f : x.rowPtr[n] * w);
  const xScan = (rows: Int32Array, w: number) => (xDense ? rows.length * f : nonZerosIn(x, rows) * w) * wide(w, xDense);
  let all = 0;
  let mine = 0;
  layers.forEach(({ inputs: d, outputs: w }, l) => {
    const depth = layers.length - 1 - l;
    const [from, to] = [steps[depth], steps[depth + 1]];
    all += aAll(w) + (l === 0 ? xAll(w) : 2 * n * d * w);
    mine += aScan(from, w) + (l === 0 ? xScan(to, w) : 3 * to.length * d * w * slow);
  });
  return mine < all ? steps : null;
}

/** The training rows, then the rows reached from them in 1 to `layers` steps through `a` (see ReachedRows). */
export function reachedRows(a: AdjacencyArrays, trainMask: Uint8Array, layers: number): ReachedRows {
  const steps = [rowsWhere(trainMask)];
  for (let d = 1; d <= layers; d++) steps.push(reachedThrough(a, steps[d - 1]));
  return steps;
}

/** The rows where any of the masks (all of one length) is non-zero, ascending. */
export function rowsWhere(...masks: Uint8Array[]): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < masks[0].length; i++) if (masks.some((mask) => mask[i] !== 0)) rows.push(i);
  return Int32Array.from(rows);
}

/** The columns of `a`'s rows `rows`: where a^T @ b can be non-zero when b is non-zero only on `rows`. */
function reachedThrough(a: AdjacencyArrays, rows: Int32Array): Int32Array {
  const n = a instanceof Float32Array ? Math.round(Math.sqrt(a.length)) : a.rows;
  const hit = new Uint8Array(n);
  let count = 0;
  const mark = (c: number) => {
    if (hit[c] === 0) {
      hit[c] = 1;
      count++;
    }
  };
  for (const i of rows) {
    if (a instanceof Float32Array) {
      for (let c = 0; c < n; c++) if (a[i * n + c] !== 0) mark(c);
    } else {
      for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) mark(a.colIndex[p]);
    }
  }
  const out = new Int32Array(count);
  for (let c = 0, k = 0; k < count; c++) if (hit[c] !== 0) out[k++] = c;
  return out;
}

/** Non-zeros of `a` in the rows `rows`: the work of scattering them. */
function nonZerosIn(a: CsrArrays, rows: Int32Array): number {
  let sum = 0;
  for (const i of rows) sum += a.rowPtr[i + 1] - a.rowPtr[i];
  return sum;
}

/**
 * out += a^T @ b for a dense `a` with rows of n entries, where b is non-zero only on `rows`: each listed row of a
 * scatters b's row into the rows of out where it is non-zero.
 */
export function scatterDenseFrom(rows: Int32Array, a: Float32Array, n: number, width: number, b: Float32Array, out: Float32Array): void {
  for (const i of rows) {
    const bi = i * width;
    const ai = i * n;
    for (let col = 0; col < n; col++) {
      const v = a[ai + col];
      if (v === 0) continue;
      const o = col * width;
      for (let j = 0; j < width; j++) out[o + j] += v * b[bi + j];
    }
  }
}

/** out[r, :] = 0 for the rows r. */
export function zeroRows(rows: Int32Array, width: number, out: Float32Array): void {
  for (const r of rows) out.fill(0, r * width, (r + 1) * width);
}

/**
 * out += a^T @ b where b is non-zero only on `rows` (null: every row): out[col] += value * b[i] for the non-zeros of
 * a's rows i. Rows ascending, so each out row sums in the order a gather over a^T's row would.
 */
export function scatterFrom(rows: Int32Array | null, a: CsrArrays, width: number, b: Float32Array, out: Float32Array): void {
  const { rowPtr, colIndex, values } = a;
  const count = rows ? rows.length : a.rows;
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k] : k;
    const bi = i * width;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const o = colIndex[p] * width;
      const v = values[p];
      for (let j = 0; j < width; j++) out[o + j] += v * b[bi + j];
    }
  }
}

/** out[r] = a[r] @ b^T on `rows`, for a (m x c) and b (width x c). */
export function productBTOver(rows: Int32Array, c: number, width: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (const r of rows) {
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let q = 0; q < c; q++) s += a[r * c + q] * b[j * c + q];
      out[r * width + j] = s;
    }
  }
}

/** out[r] = y[r] > 0 ? dy[r] * scale : 0 on `rows` (relu-dropout's gradient). */
export function reluDropoutGradOver(rows: Int32Array, width: number, dy: Float32Array, y: Float32Array, out: Float32Array, scale: number): void {
  for (const r of rows) reluDropoutGradRange(dy, y, out, r * width, (r + 1) * width, scale);
}

/** out[j] = sum over `rows` of x[r, j]. */
export function columnSumsOver(rows: Int32Array, x: Float32Array, width: number, out: Float32Array): void {
  out.fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) out[j] += x[r * width + j];
}
