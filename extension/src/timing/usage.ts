// The part of the kernel's usage_reply (kernel/usage.ts) the panel shows: gcnlab's own memory figures.
import { memorySample } from '../../../kernel/timing/memory-sample';
import type { MemorySample } from '../messages';

export interface UsageFigures {
  kernel_memory?: number;
  gcnlab?: {
    rss: number;
    heap: { used: number; total: number; limit: number } | null;
    tensors: { numTensors: number; numBytes: number; devices: { device: string; gpuBytes?: number }[] } | null;
  };
}

/** The usage reply as a memory sample, or null for a kernel that does not report gcnlab's figures. */
export function usageSample(usage: UsageFigures): MemorySample | null {
  const figures = usage.gcnlab;
  return figures ? memorySample({ rss: figures.rss, heapUsed: figures.heap?.used ?? 0, tensors: figures.tensors }) : null;
}
