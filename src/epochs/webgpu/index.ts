// webgpu: whole epochs of any GCN as one command buffer of WGSL dispatches, the graph and parameters resident in GPU buffers.
export { WebGpuEpochs, type EpochProfile, type FirstLayer } from './runner.js';
export { checkEpochMemory, type BufferLimits, type PlannedBuffer } from './memory.js';
export { epochShaders, moduleCode, slicesOf, TILED_GRADS_SLICES, type WebGpuEpochShape } from './shaders/index.js';
export { keepsFirstProduct, propagateFeatures, PROPAGATE_FEATURES_MAX_TERMS } from './propagated-features.js';
export { readAdjacency, SPARSE_ADJACENCY_MAX_SHARE } from './sparse-adjacency.js';
