// The last device list, kept on disk so a fresh process (a notebook kernel starting) can name the devices at once.
// Light on purpose: it loads no backend, so `gcnlab/device-cache` can be imported before the runtime is.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { userCacheDir } from '../cache-dir.js';
import type { DeviceInfo } from './types.js';

const MAX_AGE_MS = 24 * 3600 * 1000;
const require = createRequire(import.meta.url);

function mtimeOf(path: string): number | 'missing' {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 'missing';
  }
}

function packageStamp(name: string): number | 'missing' {
  try {
    return mtimeOf(require.resolve(`${name}/package.json`));
  } catch {
    return 'missing';
  }
}

/** Everything whose change could change a probe's answer: versions, installed packages, drivers, environment. */
function stamp(): string {
  return JSON.stringify({
    gcnlab: packageStamp('gcnlab'),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', '@tensorflow/tfjs-backend-wasm'].map(packageStamp),
    drivers: mtimeOf('/etc/ld.so.cache'),
    env: [process.env.LD_LIBRARY_PATH ?? '', process.env.VK_ICD_FILENAMES ?? '', process.env.CUDA_VISIBLE_DEVICES ?? '', process.env.GCNLAB_THREADS ?? ''],
  });
}

const cacheFile = () => join(userCacheDir(), 'devices.json');

/** The device list a previous process probed on this machine, if nothing that matters has changed since. */
export function cachedDevices(): DeviceInfo[] | undefined {
  try {
    const saved = JSON.parse(readFileSync(cacheFile(), 'utf8')) as { stamp: string; savedAt: number; devices: DeviceInfo[] };
    if (saved.stamp !== stamp() || Date.now() - saved.savedAt > MAX_AGE_MS) return undefined;
    return saved.devices;
  } catch {
    return undefined;
  }
}

/** Saves a freshly probed list; a cache that cannot be written is skipped silently (it only saves time). */
export function saveDevices(devices: readonly DeviceInfo[]): void {
  try {
    mkdirSync(userCacheDir(), { recursive: true });
    const tmp = `${cacheFile()}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ stamp: stamp(), savedAt: Date.now(), devices }));
    renameSync(tmp, cacheFile());
  } catch {
    // read-only home, full disk: probing again next time is the only cost
  }
}
