// The WGSL of one whole training epoch of any GCN (the layer list of an EpochShape): forward, masked cross-entropy
// and metrics, backward, the L2 term and Adam, as 2 + 4 L compute shaders for L layers (fewer where an A product's
// workgroups end holding whole rows and go on with what follows each row: see fusion.ts, and where the first layer's
// features come propagated: see WebGpuEpochShape.propagatedFeatures) over flat buffers (all
// parameters in one buffer, in the model's order: see parameterSlots; activations named as epochs/buffers.ts names
// them). Sums over all nodes (the weight and bias gradients, the metrics) are split into partial sums, each a
// workgroup's, that Adam adds up: one workgroup per output would leave most of a large GPU idle. The squared
// parameters' sum (the L2 term) is carried from one Adam step to the next, so no kernel of its own reads them.
import { checkEpochShape } from '../../shape.js';
import { adam } from './adam.js';
import { foldedLayers, linFused, lossFused } from './fusion.js';
import { layerGrads } from './grads.js';
import { header } from './header.js';
import { linear, propagatedFirstLayer } from './linear.js';
import { lossGrad } from './loss.js';
import { propagate, propagateGrad } from './propagation.js';
import { type Shader, slicesOf, type WebGpuEpochShape } from './shape.js';

/** The header every kernel shares, and the epoch's kernels in the order one command buffer dispatches them. */
export function epochShaders(s: WebGpuEpochShape): { header: string; shaders: Shader[] } {
  checkEpochShape(s);
  const slices = slicesOf(s.nodes);
  const folded = foldedLayers(s);
  const layers = s.layers.map((_, i) => i);
  const first = s.propagatedFeatures === true;
  const forward = (i: number): Shader[] => (i === 0 && first ? [propagatedFirstLayer(s)] : [...(linFused(s, i) ? [] : [linear(s, i)]), propagate(s, i)]);
  const backward = (i: number): Shader[] => {
    if (i === 0 && first) return [layerGrads(s, 0, slices, folded)];
    return [propagateGrad(s, i, folded, slices), ...(i > 0 && folded.includes(i) ? [] : [layerGrads(s, i, slices)])];
  };
  const shaders: Shader[] = [...layers.flatMap(forward), ...(lossFused(s) ? [] : [lossGrad(s)]), ...[...layers].reverse().flatMap(backward), adam(s)];
  return { header: header(s), shaders };
}
