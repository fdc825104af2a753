// host: gcnlab's ops for the backends whose tensors live in host memory, written once and registered for both
// tfjs-backend-cpu (its typed arrays, recycled within a step) and tfjs-backend-wasm (views of its heap, SIMD there).
export { cpuKernelConfigs } from './cpu-backend.js';
export { wasmKernelConfigs } from './wasm-backend.js';
export { withBufferRecycling, releaseBufferPool } from './buffer-pool.js';
export type { HostIO, HostOp, HostArray, HostSimd, Inputs } from './io.js';

// The pieces of these ops that the whole-epoch host engine (src/epochs/host) composes over its own memory.
export { adamConstants, adamRange } from './adam.js';
export { columnSums } from './column-sum.js';
export { denseProduct } from './mat-mul.js';
export { reluDropoutGradRange, reluDropoutRange } from './relu-dropout.js';
export { crossEntropy, softmaxRow } from './softmax-row.js';
export { spmmRows } from './spmm.js';
export { transposeDense, transposeMatrix } from './transpose-dense.js';
