// The tensorflow and cuda devices: @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu (native libtensorflow).
// Both register the backend named 'tensorflow', so one process can hold only one of them.
import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import type { DeviceName, DeviceProbe, ProbeResult } from '../types.js';
import { describeFailure } from './failure.js';

let owner: DeviceName | undefined;

const INSTALL_HINT =
  'package {pkg} is not installed: its install script downloads libtensorflow from outside the npm registry, so run `npm install {pkg}` on a machine with internet';

interface NativeBinding {
  TF_Version?: string;
  isUsingGpuDevice?: () => boolean;
}

async function probeNative(name: DeviceName, packageName: string): Promise<ProbeResult> {
  if (owner && owner !== name) {
    return {
      available: false,
      reason: `device '${owner}' already loaded libtensorflow into this process and owns the 'tensorflow' backend; use one of them per process`,
    };
  }
  try {
    await import(packageName);
  } catch (error) {
    const reason = describeFailure(packageName, error);
    return { available: false, reason: reason.includes('not installed') ? INSTALL_HINT.replaceAll('{pkg}', packageName) : reason };
  }
  owner = name;
  const previous = tf.getBackend();
  let binding: NativeBinding = {};
  try {
    if (!(await tf.setBackend('tensorflow'))) return { available: false, reason: `${packageName} loaded but its backend failed to initialise` };
    binding = ((tf.backend() as unknown as { binding?: NativeBinding }).binding ?? {}) as NativeBinding;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
  const onGpu = binding.isUsingGpuDevice?.() ?? false;
  if (name === 'cuda' && !onGpu) {
    return { available: false, reason: `${packageName} loaded but libtensorflow found no CUDA GPU (it needs CUDA 11.2 and cuDNN 8.1)` };
  }
  const threads = os.availableParallelism();
  return {
    available: true,
    runsOn: name === 'cuda' ? 'libtensorflow on CUDA' : `libtensorflow (native), up to ${threads} threads`,
    details: { threads, tensorflowVersion: binding.TF_Version ?? 'unknown', gpu: onGpu },
  };
}

export const tensorflowProbe: DeviceProbe = {
  name: 'tensorflow',
  backend: 'tensorflow',
  packageName: '@tensorflow/tfjs-node',
  probe: () => probeNative('tensorflow', '@tensorflow/tfjs-node'),
};

export const cudaProbe: DeviceProbe = {
  name: 'cuda',
  backend: 'tensorflow',
  packageName: '@tensorflow/tfjs-node-gpu',
  probe: () => probeNative('cuda', '@tensorflow/tfjs-node-gpu'),
};
