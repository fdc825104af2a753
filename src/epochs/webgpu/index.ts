// webgpu: whole epochs as one command buffer of WGSL dispatches, the graph and parameters resident in GPU buffers.
export { WebGpuEpochs, type EpochProfile } from './runner.js';
export { checkEpochMemory, type BufferLimits, type PlannedBuffer } from './memory.js';
export { epochShaders, moduleCode, type EpochShape as WebGpuEpochShape } from './shaders.js';
