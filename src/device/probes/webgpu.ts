// The webgpu device: tfjs-backend-webgpu on Dawn (npm `webgpu`): Metal on a Mac, Vulkan on Linux, D3D12 on Windows.
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DeviceProbe } from '../types.js';
import { scoutAdapter } from './dawn-scout.js';
import { describeFailure } from './failure.js';

/** Dawn needs the Vulkan loader on Linux; without it, it can only print a warning, so look first. */
function vulkanLoaderMissing(): boolean {
  if (process.platform !== 'linux') return false;
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (dirs.some((dir) => existsSync(join(dir, 'libvulkan.so.1')))) return false;
  try {
    return !readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** A software adapter (SwiftShader, llvmpipe/lavapipe): WebGPU done right, on the CPU, many times slower than a GPU. */
function isSoftware(info: AdapterInfo): boolean {
  return info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(`${info.architecture} ${info.description} ${info.device}`);
}

export const webgpuProbe: DeviceProbe = {
  name: 'webgpu',
  backend: 'webgpu',
  packageName: '@tensorflow/tfjs-backend-webgpu',
  async probe() {
    // The package first: where it is not installed, installing it is the first thing to do, whatever the drivers.
    let dawnEntry: string;
    try {
      dawnEntry = createRequire(import.meta.url).resolve('webgpu');
    } catch (error) {
      return { available: false, reason: describeFailure('webgpu', error) };
    }
    if (vulkanLoaderMissing()) {
      return {
        available: false,
        reason:
          'no GPU adapter: the Vulkan loader libvulkan.so.1 is missing (apt install libvulkan1 and a Vulkan driver, e.g. mesa-vulkan-drivers or NVIDIA\'s)',
      };
    }
    const scout = await scoutAdapter(dawnEntry);
    if (scout.adapter === false) return { available: false, reason: `no GPU adapter: ${scout.reason}` };
    let dawn: typeof import('webgpu');
    try {
      dawn = await import('webgpu');
    } catch (error) {
      return { available: false, reason: describeFailure('webgpu', error) };
    }
    Object.assign(globalThis, dawn.globals);
    // GCNLAB_DAWN_FLAGS: Dawn's own flags, space-separated (bench/pack-gpu.sh passes
    // disable-dawn-features=timestamp_quantization, so that the profile's GPU times are not rounded to 65.5 µs).
    const gpu = dawn.create((process.env.GCNLAB_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean));
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return {
        available: false,
        reason: 'no GPU adapter: Dawn found no Vulkan, Metal or D3D12 device with the features WebGPU needs',
      };
    }
    const info: AdapterInfo = (adapter as unknown as { info?: AdapterInfo }).info ?? {};
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown };
    if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
    } catch (error) {
      return { available: false, reason: describeFailure('@tensorflow/tfjs-backend-webgpu', error) };
    }
    const previous = tf.getBackend();
    try {
      if (!(await tf.setBackend('webgpu'))) {
        return { available: false, reason: 'tfjs-backend-webgpu failed to initialise on this adapter' };
      }
    } finally {
      if (previous) await tf.setBackend(previous);
    }
    const name = info.description || info.device || info.architecture || 'GPU';
    const details: Record<string, string> = {};
    for (const key of ['vendor', 'architecture', 'device', 'description'] as const) {
      if (info[key]) details[key] = info[key]!;
    }
    const software = isSoftware(info);
    if (software) details.software = 'runs on the CPU, not a GPU';
    const dawnNote = software ? 'Dawn; software: runs on the CPU, not a GPU' : 'Dawn';
    return { available: true, runsOn: `${info.vendor ? `${info.vendor} ` : ''}${name} (${dawnNote})`, details };
  },
};
