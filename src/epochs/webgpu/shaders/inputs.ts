// What the kernels read: the adjacency's bindings (sparse or dense, A or A^T) and each layer's input buffer.
import { layerBuffer } from '../../buffers.js';
import { type WebGpuEpochShape } from './shape.js';
import { type Binding } from './wgsl.js';

/** A's (m 'a') or A^T's ('aT') buffers: CSR's row pointers, columns and values, or the dense rows' vec4s. */
export function adjacencyBindings(s: Pick<WebGpuEpochShape, 'adjacency'>, m: 'a' | 'aT'): Binding[] {
  return s.adjacency === 'sparse'
    ? [[`${m}Ptr`, 'u32', 'read'], [`${m}Col`, 'u32', 'read'], [`${m}Val`, 'f32', 'read']]
    : [[m === 'a' ? 'adj' : 'adjT', 'vec4<f32>', 'read']];
}

/** Layer i's input: X for the first layer, the hidden layer below's output for the others. */
export const inputOf = (i: number) => (i === 0 ? 'x' : layerBuffer.hidden(i - 1));
