// gcnlab's kernels for tfjs-backend-webgpu: WGSL programs run through the backend's program API.
import type { KernelConfig } from '@tensorflow/tfjs-core';

export const webgpuKernelConfigs: KernelConfig[] = [];
