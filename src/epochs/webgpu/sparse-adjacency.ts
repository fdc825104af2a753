// A dense A read as CSR where few of its entries are non-zero, as a GCN's normalised adjacency almost always is
// (Cora's: 0.18%, 13,264 of 7.3 million). Each A product then reads its non-zeros (a column and a value, 8 bytes)
// instead of all n^2 entries (4 bytes each): 0.1 MB where the dense rows are 29 MB. On an H100 the article model's
// four A products took 12.4-13.0 us each so, against 18.5-26.3 us as dense rows
// (gpu-2026-12-07-h100-cora-sparse-adjacency-ab-93cff77.json). The kernels are the sparse A's, the parameters and
// metrics the same to float32 rounding (the sums skip A's zeros).
import type { AdjacencyRead } from '../../events.js';
import { countNonZeros, CsrMatrix, rowPointersOf } from '../../sparse/index.js';
import { type EpochGraph, type EpochShape } from '../shape.js';
import { envSwitch } from './env-switch.js';

/**
 * A dense A is read as CSR where under this share of its entries are non-zero. Bytes alone would say a half
 * (8 bytes a non-zero against 4 an entry), but the CSR products also gather a row of the layer's input for each
 * non-zero, which the dense scan reads once per block of rows; 1 in 16 keeps well clear of that. Only Cora's 0.18%
 * is timed on a GPU.
 */
export const SPARSE_ADJACENCY_MAX_SHARE = 1 / 16;

/**
 * The shape and graph whose A the kernels read: a dense A as CSR where under SPARSE_ADJACENCY_MAX_SHARE of its
 * entries are non-zero, unless GCNLAB_WEBGPU_SPARSE_ADJACENCY=off (to time both in one run); else as given. A dense
 * A given as its dense rows is counted until the share is reached, so it pays one pass over its rows at most; one
 * given as a CsrMatrix (its stored entries, the rest zeros: what train() holds) is counted over its stored values,
 * used as it is where under the share, and becomes dense rows where it is kept dense.
 */
export function readAdjacency<S extends EpochShape>(shape: S, graph: EpochGraph, env: 'on' | 'off' = envSwitch('GCNLAB_WEBGPU_SPARSE_ADJACENCY')): { shape: S; graph: EpochGraph; adjacencyRead: AdjacencyRead } {
  const a = graph.adjacency;
  if (shape.adjacency === 'sparse') return { shape, graph, adjacencyRead: { given: 'sparse', readAs: 'sparse' } };
  const n = shape.nodes;
  const kept = (keptBecause: string) => ({ shape, graph: a instanceof CsrMatrix ? { ...graph, adjacency: a.toDense() } : graph, adjacencyRead: { given: 'dense', readAs: 'dense', keptBecause } as const });
  if (env === 'off') return kept('GCNLAB_WEBGPU_SPARSE_ADJACENCY=off');
  const bound = Math.ceil(SPARSE_ADJACENCY_MAX_SHARE * n * n) - 1;
  const sparse = a instanceof CsrMatrix ? storedUnder(a, bound) : denseRowsUnder(a, n, bound);
  if (sparse === null) return kept(`at least ${percent(SPARSE_ADJACENCY_MAX_SHARE)} of A's entries are non-zero (read as CSR only under that)`);
  return { shape: { ...shape, adjacency: 'sparse' }, graph: { ...graph, adjacency: sparse.csr }, adjacencyRead: { given: 'dense', readAs: 'sparse', nonZeroShare: sparse.nonZeros / (n * n) } };
}

interface UnderBound {
  csr: CsrMatrix;
  nonZeros: number;
}

/** A's dense rows as CSR where they hold at most `bound` non-zeros, else null. */
function denseRowsUnder(rows: Float32Array, n: number, bound: number): UnderBound | null {
  const rowPtr = rowPointersOf(rows, n, n, bound);
  return rowPtr === null ? null : { csr: CsrMatrix.fromDenseRows(n, n, rows, rowPtr), nonZeros: rowPtr[n] };
}

/**
 * The CSR itself where at most `bound` of its stored values are not zero, else null (the count stops past it). Zeros
 * stored in it are zeros of the dense A it stands for: they cost the products a read each and add nothing.
 */
function storedUnder(a: CsrMatrix, bound: number): UnderBound | null {
  const nonZeros = countNonZeros(a.values, bound + 1);
  return nonZeros <= bound ? { csr: a, nonZeros } : null;
}

const percent = (share: number): string => `${Number((100 * share).toPrecision(3))}%`;
