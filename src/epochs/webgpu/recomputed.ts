// Fused epochs for small graphs: where each of an epoch's dispatches costs more in its launch and barrier than in
// its work (on the H200 a few microseconds each, whatever it does), the matrices that are a row-wise function of
// others are not written by kernels of their own but recomputed by the A products that read them:
//   - a hidden layer's lin (input @ W + b), by the forward A product above it;
//   - the loss's dz (from the logits), by the last layer's backward A product, which also sums the metrics;
//   - the gradient wrt a hidden layer's A product (dLin W^T through relu and dropout), by its backward A product,
//     which also sums the weight gradients of the layer above.
// Each entry read costs a row's dot product (or softmax) more: cheap while the graph is small and the layers narrow.
import { backwardBuffers, layerBuffer } from '../buffers.js';
import type { EpochShape } from '../shape.js';
import { floatLiteral, type Source } from './wgsl.js';

/** Graphs up to this many nodes (8 slices) train fused (see fusedEpochs). */
export const FUSED_MAX_NODES = 65_536;

/** Layers up to this many outputs train fused: each recomputed entry is a dot product of at most this many terms. */
export const FUSED_MAX_WIDTH = 32;

/** Whether an epoch of this shape recomputes lin, dz and the hidden gradients (2 L + 3 dispatches, not 2 + 4 L). */
export function fusedEpochs(s: Pick<EpochShape, 'nodes' | 'layers'>): boolean {
  return s.nodes <= FUSED_MAX_NODES && s.layers.every((l) => l.outputs <= FUSED_MAX_WIDTH);
}

/** Layer i's lin (i above 0): its input (the hidden layer below's output) times W, plus b. */
export function linSource(s: Pick<EpochShape, 'layers'>, i: number): Source {
  const input = layerBuffer.hidden(i - 1);
  const fn = `lin${i}At`;
  return {
    at: (r, j) => `${fn}(${r}, ${j})`,
    bindings: [[input, 'f32', 'read'], ['params', 'f32', 'read']],
    code: `
fn ${fn}(r : u32, j : u32) -> f32 {
  var acc = ${s.layers[i].bias ? `params[OB${i} + j]` : '0.0'};
  for (var k = 0u; k < K${i}; k++) { acc += ${input}[r * K${i} + k] * params[OW${i} + k * O${i} + j]; }
  return acc;
}`,
  };
}

/** The loss's gradient wrt the logits: the softmax less the label's one-hot on the train rows, 0 elsewhere. */
export function dzSource(s: Pick<EpochShape, 'layers'>, trainWeight: number): Source {
  const z = layerBuffer.prop(s.layers.length - 1);
  return {
    at: (r, j) => `dzAt(${r}, ${j})`,
    bindings: [[z, 'f32', 'read'], ['targets', 'u32', 'read']],
    code: `
fn dzAt(r : u32, j : u32) -> f32 {
  let node = targets[r];
  if ((node & (1u << 30u)) == 0u) { return 0.0; }
  let row = r * C;
  var m = ${z}[row];
  for (var k = 1u; k < C; k++) { m = max(m, ${z}[row + k]); }
  var sum = 0.0;
  for (var k = 0u; k < C; k++) { sum += exp(${z}[row + k] - m); }
  return (exp(${z}[row + j] - m) / sum - select(0.0, 1.0, j == (node & LABEL_BITS))) / ${floatLiteral(trainWeight)};
}`,
  };
}

/** The gradient wrt hidden layer i's A product: dLin of layer i + 1 times its W^T, through i's relu and dropout. */
export function hiddenGradSource(s: Pick<EpochShape, 'layers'>, i: number): Source {
  const hidden = layerBuffer.hidden(i);
  const above = backwardBuffers(s, i + 1).dLin;
  const fn = `dProp${i}At`;
  const o = `O${i + 1}`;
  return {
    at: (r, j) => `${fn}(${r}, ${j})`,
    bindings: [[hidden, 'f32', 'read'], [above, 'f32', 'read'], ['params', 'f32', 'read']],
    code: `
fn ${fn}(r : u32, j : u32) -> f32 {
  if (${hidden}[r * O${i} + j] <= 0.0) { return 0.0; }
  var a = 0.0;
  for (var k = 0u; k < ${o}; k++) { a += ${above}[r * ${o} + k] * params[OW${i + 1} + j * ${o} + k]; }
  return a * SCALE;
}`,
  };
}
