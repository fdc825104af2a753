// Refuses, before anything is allocated, a run whose epoch would not fit: the arrays of epochs/buffers.ts (the
// parameters with their gradients and Adam's moments, and every layer's nodes x width activations), which the fused
// engines lay out and the tape holds as tensors. GCN's own check counts the weights alone; a wide hidden layer on a
// big graph passes it and then needs nodes x hDim floats per array.
import * as tf from '@tensorflow/tfjs-core';
import { memoryLimit, type MemoryLimit } from '../data/index.js';
import { epochBuffers, type EpochLayer } from '../epochs/index.js';
import { InvalidOptionError, MemoryLimitError } from '../errors.js';
import { layerChain, type GCN } from '../nn/index.js';

/** wasm32 addresses at most 4 GiB: the host engine's one memory, and tfjs-wasm's heap, live inside it. */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;

/** Bytes of the arrays one epoch of `layers` on `nodes` nodes works in (float32). */
export function epochBytes(nodes: number, layers: readonly EpochLayer[]): number {
  return 4 * epochBuffers({ nodes, layers: [...layers] }).reduce((sum, b) => sum + b.length, 0);
}

/**
 * What one epoch may take on the current backend: what dense copies may (a quarter of this machine's memory, of the
 * cgroup's, at most half the address space left under ulimit -v), at most 4 GiB on wasm; `what` names the bound.
 */
function defaultLimit(): MemoryLimit {
  const machine = memoryLimit(1 / 4);
  if (tf.getBackend() === 'wasm' && WASM_MEMORY_BYTES < machine.bytes) return { bytes: WASM_MEMORY_BYTES, what: 'the wasm device addresses 4 GiB' };
  return machine;
}

function limitOf(maxBytes?: number): { bytes: number; what: string } {
  if (maxBytes !== undefined && !(maxBytes > 0)) throw new InvalidOptionError('maxEpochBytes', maxBytes, 'a positive number of bytes');
  return maxBytes === undefined ? defaultLimit() : { bytes: maxBytes, what: 'maxEpochBytes' };
}

/** A model's layers as the epoch sees them: a built GCN, or the layer list of one about to be built (nothing allocated). */
export type EpochModel = GCN | readonly EpochLayer[];

const layersOf = (model: EpochModel): EpochLayer[] =>
  'gcnLayers' in model ? model.gcnLayers.map(({ linear: l }) => ({ inputs: l.inFeatures, outputs: l.outFeatures, bias: l.bias !== null })) : [...model];

/** The widest hidden width (every hidden layer that wide) whose epoch on `nodes` nodes fits; 0 where none does or there is no hidden layer. */
export function widestHiddenThatFits(model: EpochModel, nodes: number, maxBytes?: number): number {
  const layers = layersOf(model);
  const limit = limitOf(maxBytes);
  const top = layers.length - 1;
  const withHidden = (h: number) => layers.map((l, i) => ({ ...l, inputs: i === 0 ? l.inputs : h, outputs: i === top ? l.outputs : h }));
  let fits = 0;
  if (top > 0) for (let step = 2 ** 30; step >= 1; step /= 2) if (epochBytes(nodes, withHidden(fits + step)) <= limit.bytes) fits += step;
  return fits;
}

/** Throws MemoryLimitError when `model`'s epoch on `nodes` nodes needs more than `maxBytes`, naming the widest hDim that fits. */
export function checkEpochFits(model: EpochModel, nodes: number, maxBytes?: number): void {
  const layers = layersOf(model);
  const limit = limitOf(maxBytes);
  const bytes = epochBytes(nodes, layers);
  if (bytes <= limit.bytes) return;
  const fits = widestHiddenThatFits(layers, nodes, maxBytes);
  const sizes = layerChain([layers[0].inputs, ...layers.map((l) => l.outputs)]);
  const widest = layers.reduce((most, l) => Math.max(most, l.outputs), 0);
  throw new MemoryLimitError(
    `one epoch of a GCN of ${sizes} on ${nodes} nodes (its parameters with gradients and Adam's moments, and every layer's ` +
      `activations: ${nodes} x ${widest} float32 per array at the widest)`,
    bytes,
    limit.bytes,
    fits > 0
      ? `hDim at most ${fits} fits on ${nodes} nodes (${limit.what}); use a smaller hidden width`
      : `not even the smallest hidden width fits on ${nodes} nodes (${limit.what}): use a smaller graph`,
  );
}
