// What tensors hold in memory: TensorFlow.js's live tensors and bytes, and per started device its data buffers and
// the GPU bytes its backend reports (webgpu does; cpu and wasm keep theirs in the JS heap or wasm memory).
import * as tf from '@tensorflow/tfjs-core';
import { currentDevice } from './select.js';

export interface DeviceMemory {
  /** The device whose backend holds the buffers (tfjs-node's backend is `cuda` where that device is current). */
  device: string;
  backend: string;
  /** Data buffers alive on this backend (tensors that share data, as after reshape, count once). */
  dataBuffers: number;
  /** Bytes on the GPU, where the backend reports them. */
  gpuBytes?: number;
  gpuBytesAllocated?: number;
}

export interface TensorMemory {
  numTensors: number;
  numBytes: number;
  devices: DeviceMemory[];
}

/** Live tensors overall and per device started so far; cheap enough to call at every epoch. */
export function tensorMemory(): TensorMemory {
  const { numTensors, numBytes } = tf.memory();
  const devices: DeviceMemory[] = [];
  for (const [backend, instance] of Object.entries(tf.engine().registry)) {
    const reported = instance.memory() as { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
    const device = backend === 'tensorflow' && currentDevice() === 'cuda' ? 'cuda' : backend;
    const entry: DeviceMemory = { device, backend, dataBuffers: instance.numDataIds() };
    if (typeof reported.numBytesInGPU === 'number') entry.gpuBytes = reported.numBytesInGPU;
    if (typeof reported.numBytesAllocatedInGPU === 'number') entry.gpuBytesAllocated = reported.numBytesAllocatedInGPU;
    devices.push(entry);
  }
  return { numTensors, numBytes, devices };
}
