// host: whole epochs on cpu and wasm in one WebAssembly.Memory, through JavaScript or SIMD kernels and a thread team.
export { HostEpochs, SHARE_FROM, type BackwardRows, type HostEpochOptions, type HostCodePath } from './engine.js';
