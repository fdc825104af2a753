// Device selection: which devices work here, and switching the TensorFlow.js backend between them.
import * as tf from '@tensorflow/tfjs-core';
import { DeviceUnavailableError, UnknownDeviceError } from '../errors.js';
import { emitRuntimeEvent } from '../events.js';
import { saveDevices } from './cache.js';
import { cpuProbe, cudaProbe, tensorflowProbe, wasmProbe, webgpuProbe } from './probes/index.js';
import { DEVICE_NAMES, isDeviceName, type DeviceInfo, type DeviceName, type DeviceProbe } from './types.js';

// cuda is probed before tensorflow: where both packages are installed, the GPU build should win.
const PROBE_ORDER: DeviceProbe[] = [cpuProbe, wasmProbe, webgpuProbe, cudaProbe, tensorflowProbe];
const probes = new Map<DeviceName, DeviceProbe>(PROBE_ORDER.map((p) => [p.name, p]));
const results = new Map<DeviceName, Promise<DeviceInfo>>();
let queue: Promise<unknown> = Promise.resolve();
let listed = false;

let current: DeviceName = 'cpu';
// Set once a device is asked for by name: the default never overrides a choice.
let chosen = false;
// Production mode: no per-op debug checks, and no advice to install tfjs-node printed on first use of cpu.
tf.enableProdMode();
void tf.setBackend('cpu');

/** Probes run one at a time: each may switch the backend briefly while it checks it. */
function probe(name: DeviceName): Promise<DeviceInfo> {
  let result = results.get(name);
  if (!result) {
    const p = probes.get(name)!;
    result = queue.then(async (): Promise<DeviceInfo> => {
      const base = { name, backend: p.backend, packageName: p.packageName };
      try {
        const r = await p.probe();
        return r.available
          ? { ...base, available: true, runsOn: r.runsOn, details: r.details }
          : { ...base, available: false, reason: r.reason, details: r.details ?? {} };
      } catch (error) {
        return { ...base, available: false, reason: `probe failed: ${(error as Error).message}`, details: {} };
      }
    });
    queue = result;
    results.set(name, result);
  }
  return result;
}

/** Every device gcnlab knows, in a fixed order, each available or not and why. */
export async function listDevices(): Promise<DeviceInfo[]> {
  const all = new Map<DeviceName, DeviceInfo>();
  for (const p of PROBE_ORDER) all.set(p.name, await probe(p.name));
  const list = DEVICE_NAMES.map((name) => all.get(name)!);
  if (!listed) {
    listed = true;
    saveDevices(list);
  }
  return list;
}

/** The names of the devices that work here. */
export async function availableDevices(): Promise<DeviceName[]> {
  return (await listDevices()).filter((d) => d.available).map((d) => d.name);
}

/** Switches every following operation to `name`. Tensors made before keep working (their data moves on use). */
export async function useDevice(name: string): Promise<DeviceInfo> {
  chosen = true;
  return switchTo(name);
}

async function switchTo(name: string): Promise<DeviceInfo> {
  if (!isDeviceName(name)) throw new UnknownDeviceError(name, DEVICE_NAMES, await availableDevices());
  const info = await probe(name);
  if (!info.available) throw new DeviceUnavailableError(name, info.reason ?? 'unknown reason', await availableDevices());
  await queue;
  if (!(await tf.setBackend(info.backend))) {
    throw new DeviceUnavailableError(name, `backend '${info.backend}' failed to initialise`, await availableDevices());
  }
  if (current !== name) {
    current = name;
    emitRuntimeEvent({ type: 'device', device: name });
  }
  return info;
}

/** The device gcnlab picks when none is named, and why: the fastest one that works here. */
export async function defaultDevice(): Promise<{ name: DeviceName; reason: string }> {
  const wasm = await probe('wasm');
  if (wasm.available) {
    // README, Numbers: on Cora wasm's SIMD kernels take 0.82 ms per epoch against cpu's 3.87 ms; webgpu and
    // tfjs-node pay a dispatch per kernel that a graph of Cora's size never wins back.
    return { name: 'wasm', reason: "the fastest that works here: WebAssembly SIMD, 0.82 ms per Cora epoch against cpu's 3.87 ms" };
  }
  return { name: 'cpu', reason: `wasm, the fastest, is unavailable here (${wasm.reason}); cpu works everywhere` };
}

/** Switches to the default device unless one was chosen with useDevice; returns the device now current. */
export async function useDefaultDevice(): Promise<DeviceName> {
  if (!chosen) await switchTo((await defaultDevice()).name);
  return current;
}

/** The device the next operation runs on. */
export function currentDevice(): DeviceName {
  return current;
}

/** Runs `fn` on device `name`, then returns to the device that was current before, even if `fn` throws. */
export async function withDevice<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const previous = current;
  await useDevice(name);
  try {
    return await fn();
  } finally {
    await useDevice(previous);
  }
}

/** Waits until the current device has finished all queued work (MLX's `eval`, CUDA's synchronize). */
export async function synchronize(): Promise<void> {
  // A one-element read-back is the portable barrier: every backend completes queued work before it returns.
  const probeTensor = tf.zeros([1]);
  try {
    await probeTensor.data();
  } finally {
    probeTensor.dispose();
  }
}
