// Which kernels run inside the A products before them: whole rows a workgroup, the folded layers' backward, the fused lin and loss.
import { backwardBuffers, gradientOf } from '../../buffers.js';
import { adjacencyBindings, transposedFeatureBindings, inputOf } from './inputs.js';
import { columnsOf } from './rows.js';
import { lossGroupsOf, slicesOf, type WebGpuEpochShape } from './shape.js';
import { TILED_GRADS_SLICES } from './tiled-grads.js';

/**
 * Whether each workgroup of layer i's forward A product ends holding whole output rows, so that what follows a row
 * (the next layer's lin, the loss) can run in the same dispatch instead of one of its own: a dense A's rows (a
 * workgroup each), or a sparse A with long rows (a workgroup each; the short rows whole rows to a workgroup), all
 * their columns in one block. A dispatch costs the H200 about 8 us of host time and a few of GPU time besides its
 * work (gpu-2026-12-03-h200-cora-recomputed-lin-experiment.json).
 */
export function rowsComplete(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'propagatedFeatures'>, i: number, m: 'a' | 'aT' = 'a'): boolean {
  // A propagated first layer's product is a dense X's: a workgroup a row.
  const whole = (i === 0 && s.propagatedFeatures) || s.adjacency === 'dense' || (s.longRows?.[m] ?? 0) > 0;
  return whole && columnsOf(s.layers[i].outputs).blocks === 1;
}

/**
 * The layers above the first whose backward takes no dispatch of its own: each one's A^T product computes the
 * gradient below (dLin W^T through the relu and dropout of the layer under it) for the rows it completes
 * (rowsComplete), and its weight sums run beside the first layer's A^T product, in the same dispatch, where the A^T
 * products are dispatches of workgroups (dense A, or sparse with long rows) and the sums are not tiled (under
 * TILED_GRADS_SLICES slices). The second layer and those above it, as many as the first layer's A^T product can bind
 * the sums' buffers of (a dense A: two, the second and third; a sparse A, 3 buffers itself: the second alone). With
 * propagated features, the sums run beside the first layer's weight gradient instead (X^T: one buffer, or two as CSR).
 */
export function foldedLayers(s: Pick<WebGpuEpochShape, 'adjacency' | 'features' | 'layers' | 'longRows' | 'nodes' | 'propagatedFeatures'>): number[] {
  if (s.layers.length < 2 || slicesOf(s.nodes) >= TILED_GRADS_SLICES) return [];
  const fits = (layers: number[]) => layers.every((i) => rowsComplete(s, i, 'aT')) && firstGradBuffers(s, layers) <= MAX_STORAGE_BUFFERS;
  for (let top = s.layers.length - 1; top >= 1; top--) {
    const layers = Array.from({ length: top }, (_, k) => k + 1);
    if (fits(layers)) return layers;
  }
  return [];
}

/** The storage buffers a kernel may bind: the 8 every WebGPU device has (tfjs's device asks for no more). */
const MAX_STORAGE_BUFFERS = 8;

/**
 * The buffers the first layer's A^T product binds with `layers`' weight sums beside it: A^T, the gradient it
 * multiplies, dLin0, and each layer's input and dLin, and gradParts; with propagated features, the first layer's
 * weight gradient: X^T, the gradient wrt its output, the sums' buffers and gradParts.
 */
function firstGradBuffers(s: Pick<WebGpuEpochShape, 'adjacency' | 'features' | 'layers' | 'propagatedFeatures'>, layers: number[]): number {
  const sums = layers.flatMap((i) => [inputOf(i), backwardBuffers(s, i).dLin]);
  const first = s.propagatedFeatures ? [...transposedFeatureBindings(s).map(([name]) => name), gradientOf(s, 0)] : [...adjacencyBindings(s, 'aT').map(([name]) => name), gradientOf(s, 0), backwardBuffers(s, 0).dLin];
  return new Set([...first, ...sums, 'gradParts']).size;
}

/**
 * Whether the loss and dz are computed by the last A product's workgroups (see rowsComplete), not a kernel of their
 * own: up to LOSS_FUSED_MAX_NODES nodes, as each row then leaves its own partial sums for Adam's first workgroup to add.
 */
export const lossFused = (s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'nodes' | 'propagatedFeatures'>): boolean => s.nodes <= LOSS_FUSED_MAX_NODES && rowsComplete(s, s.layers.length - 1);

/** Rows whose metrics Adam's first workgroup adds at most (64 of each kind a thread); past them the loss kernel sums them. */
const LOSS_FUSED_MAX_NODES = 16384;

/** Whether layer i's lin (i above 0) is computed by the A product below's workgroups (see rowsComplete). */
export const linFused = (s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'propagatedFeatures'>, i: number): boolean => i > 0 && rowsComplete(s, i - 1);

/**
 * The metrics' partial sums of each kind in statParts: one per loss workgroup, or one per row where the last A
 * product computes the loss.
 */
export function lossPartsOf(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'nodes' | 'propagatedFeatures'>): number {
  return lossFused(s) ? s.nodes : lossGroupsOf(s.nodes);
}
