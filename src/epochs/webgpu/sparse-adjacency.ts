// A dense A read as CSR where few of its entries are non-zero, as a GCN's normalised adjacency almost always is
// (Cora's: 0.18%, 13,264 of 7.3 million). Each A product then reads its non-zeros (a column and a value, 8 bytes)
// instead of all n^2 entries (4 bytes each): 0.1 MB where the dense rows are 29 MB, which each dense A product read
// in 19-30 us on an H100 against 12-20 us for the sparse A's (gpu-2026-12-07-h100-cora-profiles-532f576.json). The
// kernels are the sparse A's, the parameters and metrics the same to float32 rounding (the sums skip A's zeros).
import { CsrMatrix } from '../../sparse/index.js';
import { type EpochGraph, type EpochShape } from '../shape.js';
import { csrOf, nonZeroPointers } from './dense-csr.js';
import { envSwitch } from './env-switch.js';

/**
 * The largest share of A's entries that are non-zero for a dense A to be read as CSR. Bytes alone would say a half
 * (8 bytes a non-zero against 4 an entry), but the CSR products also gather a row of the layer's input for each
 * non-zero, which the dense scan reads once per block of rows; 1 in 16 keeps well clear of that. Only Cora's 0.18%
 * is timed on a GPU.
 */
export const SPARSE_ADJACENCY_MAX_SHARE = 1 / 16;

/** How the kernels read A (EpochProfile.adjacency): as given, or a dense A read as CSR, and why. */
export type AdjacencyRead =
  | { given: 'sparse'; read: 'sparse' }
  | { given: 'dense'; read: 'sparse'; nonZeroShare: number }
  | { given: 'dense'; read: 'dense'; keptBecause: string };

/**
 * The shape and graph whose A the kernels read: a dense A as CSR where under SPARSE_ADJACENCY_MAX_SHARE of its
 * entries are non-zero, unless GCNLAB_WEBGPU_SPARSE_ADJACENCY=off (to time both in one run); else as given.
 */
export function readAdjacency<S extends EpochShape>(shape: S, graph: EpochGraph, env: 'on' | 'off' = envSwitch('GCNLAB_WEBGPU_SPARSE_ADJACENCY')): { shape: S; graph: EpochGraph; adjacency: AdjacencyRead } {
  const a = graph.adjacency;
  if (a instanceof CsrMatrix) return { shape, graph, adjacency: { given: 'sparse', read: 'sparse' } };
  if (env === 'off') return { shape, graph, adjacency: { given: 'dense', read: 'dense', keptBecause: 'GCNLAB_WEBGPU_SPARSE_ADJACENCY=off' } };
  const n = shape.nodes;
  const rowPtr = nonZeroPointers(a, n, n);
  const nonZeroShare = rowPtr[n] / (n * n);
  if (nonZeroShare >= SPARSE_ADJACENCY_MAX_SHARE) {
    return { shape, graph, adjacency: { given: 'dense', read: 'dense', keptBecause: `${percent(nonZeroShare)} of A's entries are non-zero, not under ${percent(SPARSE_ADJACENCY_MAX_SHARE)}` } };
  }
  return { shape: { ...shape, adjacency: 'sparse' }, graph: { ...graph, adjacency: csrOf(a, n, rowPtr) }, adjacency: { given: 'dense', read: 'sparse', nonZeroShare } };
}

const percent = (share: number): string => `${Number((100 * share).toPrecision(3))}%`;
