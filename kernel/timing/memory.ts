// The kernel's memory beside its epoch times: one sample (process, heap, tensors, GPU) and each run's peaks.
import type { TensorMemory } from 'gcnlab';
import { sampleMainThread } from '../usage.js';
import { higherMemory, memorySample } from './memory-sample.js';
import type { MemorySample } from './messages.js';

/** Samples are taken on a run's first epoch, then at most this often, and at its end. */
export const MEMORY_SAMPLE_MS = 100;

export function sampleMemory(tensors?: () => TensorMemory | undefined): MemorySample {
  const main = sampleMainThread(tensors);
  return memorySample({ rss: process.memoryUsage.rss(), heapUsed: main.heapUsed, tensors: main.tensors });
}

/** Each running run's peak figures, by runId; a run's entry goes when it finishes. */
export class MemoryPeaks {
  private readonly peaks = new Map<string, { peak: MemorySample; sampledAt: number }>();

  constructor(private readonly tensors: () => (() => TensorMemory | undefined) | undefined) {}

  /** A sample for this epoch of `runId` when one is due (first epoch, or MEMORY_SAMPLE_MS since the last), else none. */
  atEpoch(runId: string): MemorySample | undefined {
    const entry = this.peaks.get(runId);
    const now = performance.now();
    if (entry && now - entry.sampledAt < MEMORY_SAMPLE_MS) return undefined;
    const sample = sampleMemory(this.tensors());
    this.peaks.set(runId, { peak: entry ? higherMemory(entry.peak, sample) : sample, sampledAt: now });
    return sample;
  }

  /** The run's peaks, with one last sample taken at its end. */
  finish(runId: string): MemorySample {
    const sample = sampleMemory(this.tensors());
    const entry = this.peaks.get(runId);
    this.peaks.delete(runId);
    return entry ? higherMemory(entry.peak, sample) : sample;
  }
}
