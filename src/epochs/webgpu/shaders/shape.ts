// The epoch shape the shaders bake in, the Shader each of them is, and the sizes of their grids and partial sums.
import { type EpochShape, hiddenLayerCount } from '../../shape.js';
import { type Binding } from './wgsl.js';

/** The epoch shape, and what the shaders bake in besides. */
export interface WebGpuEpochShape extends EpochShape {
  /**
   * How many rows of A and of A^T have more than LANES_MAX_ROW entries (the runner uploads their indices after
   * the row pointers, in aPtr and aTPtr). Those rows are summed by a workgroup each, the others by lanes, in the same dispatch: one thread
   * walking Cora's busiest node (169 neighbours) would serialise its loads. Absent or 0: lanes only. `xt`: the
   * same for X^T's rows (sparse X) in the first layer's weight gradient; absent: a workgroup for every row.
   */
  longRows?: { a: number; aT: number; xt?: number };
  /**
   * The first layer's features arrive propagated, x = [A X | A 1] (propagated-features.ts): the layer is a plain
   * product, fused with its relu, dropout and the next layer's lin, and its weight gradient (x^T times the gradient
   * wrt its output) takes the folded layers' weight sums beside it; it has no A or A^T product. With `features`
   * 'sparse', x is CSR and X'^T goes up as xtPtr (its row pointers, then its columns: one binding fewer) and xtVal,
   * a workgroup a row.
   */
  propagatedFeatures?: boolean;
  /** How many rows the train and validation masks select (their sums). */
  trainWeight: number;
  valWeight: number;
}

export interface Shader {
  name: string;
  bindings: Binding[];
  /** Threads (one per output) for the flat kernels; workgroups for the reductions. */
  threads?: number;
  workgroups?: number;
  /** Two bindings whose buffers trade places after each dispatch (what one writes, the next reads). */
  swap?: [string, string];
  body: string;
}

/** Workgroups of flat kernels: at most this many along x, the rest along y (the WebGPU limit is 65535). */
export const MAX_X_GROUPS = 32768;

/** Threads a workgroup of the flat kernels (one thread an output). */
export const FLAT_GROUP = 64;

/** Partial sums per sum over all nodes: one per 8192 nodes, at most 128 (a few loads for each Adam thread). */
export function slicesOf(nodes: number): number {
  return Math.min(128, Math.max(1, Math.ceil(nodes / 8192)));
}

/** Parameters an Adam workgroup updates (4 a thread). */
export const ADAM_SPAN = 1024;

/** Partial sums of the squared parameters: one per Adam workgroup (ADAM_SPAN parameters). */
export function squareSlicesOf(parameters: number): number {
  return Math.max(1, Math.ceil(parameters / ADAM_SPAN));
}

/** Workgroups of the loss kernel, each 256 threads over strided rows: one per 256 rows, at most 1024. */
export function lossGroupsOf(nodes: number): number {
  return Math.min(1024, Math.max(1, Math.ceil(nodes / 256)));
}

/** vec4s of dropout seeds in the epoch's uniform (one seed per hidden layer, at least one vec4). */
export function seedVectors(s: Pick<EpochShape, 'layers'>): number {
  return Math.max(1, Math.ceil(hiddenLayerCount(s) / 4));
}

/**
 * The vec4s of a dense row of `n` floats (A's, X^T's), padded with zeros to a multiple of 4: each thread of a rows
 * kernel loads 16 bytes at a time, a quarter of the round trips of one float at a time (on Cora's 2708-node A its
 * 64 threads otherwise walk 42 floats each, latency-bound).
 */
export const quadsOf = (n: number): number => Math.ceil(n / 4);
