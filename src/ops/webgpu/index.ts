// webgpu: gcnlab's ops in WGSL for tfjs-backend-webgpu, and the hash their dropout draws from.
export { webgpuKernelConfigs } from './register_all_kernels.js';
export { HASH_WGSL } from './random.js';
