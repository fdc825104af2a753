// tfjs's webgpu backend on a GPU device that also has the features the fused epochs use where the adapter offers them.
import * as tf from '@tensorflow/tfjs-core';

/**
 * What the device is asked for where the adapter has it: the two tfjs-backend-webgpu asks for, and `subgroups`
 * (the fused epochs' rows kernels sum through them; see subgroupSizeOf).
 */
export const WEBGPU_FEATURES = ['timestamp-query', 'bgra8unorm-storage', 'subgroups'] as const;

/** tfjs-backend-webgpu's priority, kept. */
const PRIORITY = 3;

type Backend = new (device: GPUDevice, adapterInfo?: GPUAdapterInfo) => tf.KernelBackend;

/**
 * Replaces the `webgpu` factory tfjs-backend-webgpu registers with one that makes the same device (the same limits,
 * the same power preference) with WEBGPU_FEATURES; a backend already made is kept as it is.
 */
export function registerWebgpuBackend(WebGPUBackend: Backend): void {
  if (tf.findBackend('webgpu')) return;
  tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const powerPreference = tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
      const adapter = await navigator.gpu.requestAdapter({ powerPreference });
      if (!adapter) throw new Error('navigator.gpu.requestAdapter() found no adapter');
      const limits = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures: WEBGPU_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[],
        requiredLimits: {
          maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxBufferSize: limits.maxBufferSize,
          maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        },
      });
      return new WebGPUBackend(device, adapter.info);
    },
    PRIORITY,
  );
}
