// What the kernels read: the adjacency's and X^T's bindings (sparse or dense) and each layer's input buffer.
import { layerBuffer } from '../../buffers.js';
import { type WebGpuEpochShape } from './shape.js';
import { type Binding } from './wgsl.js';

/** A's (m 'a') or A^T's ('aT') buffers: CSR's row pointers, columns and values, or the dense rows' vec4s. */
export function adjacencyBindings(s: Pick<WebGpuEpochShape, 'adjacency'>, m: 'a' | 'aT'): Binding[] {
  return s.adjacency === 'sparse'
    ? [[`${m}Ptr`, 'u32', 'read'], [`${m}Col`, 'u32', 'read'], [`${m}Val`, 'f32', 'read']]
    : [[m === 'a' ? 'adj' : 'adjT', 'vec4<f32>', 'read']];
}

/** X's buffers (the first layer's input): CSR's row pointers, columns and values, or the dense rows' vec4s. */
export function featureBindings(s: Pick<WebGpuEpochShape, 'features'>): Binding[] {
  return s.features === 'sparse' ? [['xPtr', 'u32', 'read'], ['xCol', 'u32', 'read'], ['xVal', 'f32', 'read']] : [['x', 'vec4<f32>', 'read']];
}

/** The buffers of X^T the first layer's weight gradient binds: CSR (propagated: the columns after the row pointers), or dense. */
export function transposedFeatureBindings(s: Pick<WebGpuEpochShape, 'features' | 'propagatedFeatures'>): Binding[] {
  if (s.features === 'dense') return [['xT', 'vec4<f32>', 'read']];
  return s.propagatedFeatures ? [['xtPtr', 'u32', 'read'], ['xtVal', 'f32', 'read']] : [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read']];
}

/**
 * Where entry p of X^T's CSR keeps its column: after the row pointers (in xtPtr) for propagated features, so that
 * their weight gradient binds one buffer fewer; undefined: in xtCol.
 */
export function transposedFeatureColumn(s: Pick<WebGpuEpochShape, 'features' | 'propagatedFeatures'>): ((p: string) => string) | undefined {
  return s.features === 'sparse' && s.propagatedFeatures ? (p) => `xtPtr[K0 + 1u + ${p}]` : undefined;
}

/** Layer i's input: X for the first layer, the hidden layer below's output for the others. */
export const inputOf = (i: number) => (i === 0 ? 'x' : layerBuffer.hidden(i - 1));
