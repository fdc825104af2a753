// probes: how each device is found to work here (a backend that loads, a GPU adapter, a thread count), one per file.
export { cpuProbe } from './cpu.js';
export { cudaProbe, tensorflowProbe } from './tensorflow.js';
export { wasmProbe } from './wasm.js';
export { webgpuProbe } from './webgpu.js';
