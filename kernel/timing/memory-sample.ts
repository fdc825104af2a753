// A memory sample made from gcnlab's figures, and two samples' peaks: the kernel samples itself at epochs, the panel
// reads the same figures from usage replies. Both sides import this file (the extension bundles it), so it imports
// nothing but types.
import type { MemorySample } from './messages.js';

/** gcnlab's memory figures: the process, the main thread's heap, and tf.memory() per device where it ran. */
export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  tensors: { numTensors: number; numBytes: number; devices: readonly { gpuBytes?: number }[] } | null | undefined;
}

export function memorySample(figures: MemoryFigures): MemorySample {
  const sample: MemorySample = {
    rss: figures.rss,
    heapUsed: figures.heapUsed,
    tensors: figures.tensors?.numTensors ?? 0,
    tensorBytes: figures.tensors?.numBytes ?? 0,
  };
  // GPU bytes only where some backend reports them (webgpu): cpu and wasm leave the figure out rather than say 0.
  const gpu = figures.tensors?.devices.filter((d) => typeof d.gpuBytes === 'number') ?? [];
  if (gpu.length) sample.gpuBytes = gpu.reduce((sum, d) => sum + (d.gpuBytes ?? 0), 0);
  return sample;
}

/** The higher of each figure of `a` and `b`. */
export function higherMemory(a: MemorySample, b: MemorySample): MemorySample {
  const peak: MemorySample = {
    rss: Math.max(a.rss, b.rss),
    heapUsed: Math.max(a.heapUsed, b.heapUsed),
    tensors: Math.max(a.tensors, b.tensors),
    tensorBytes: Math.max(a.tensorBytes, b.tensorBytes),
  };
  if (a.gpuBytes !== undefined || b.gpuBytes !== undefined) peak.gpuBytes = Math.max(a.gpuBytes ?? 0, b.gpuBytes ?? 0);
  return peak;
}
