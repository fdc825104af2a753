// Whether a training run's GPU buffers can exist on this device, decided before any is made: each buffer within the
// device's binding and buffer limits, and all of them within the GPU memory where the budget is known.
import { InvalidOptionError, MemoryLimitError } from '../../errors.js';

/** One buffer the epochs will make: its name, size, what it starts as, and (for an alias) the buffer it shares. */
export interface PlannedBuffer {
  name: string;
  bytes: number;
  data: ArrayBufferView | null;
  usage: number;
  sameAs?: string;
}

/** The GPUDevice limits that bound one buffer. */
export interface BufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/**
 * Throws MemoryLimitError naming the first buffer past the device's limits, or the total past `budgetBytes` (the GPU
 * memory, where known: WebGPU does not report it, so `GCNLAB_GPU_MEMORY_GB` sets it, e.g. 139 on an H200).
 */
export function checkEpochMemory(plan: readonly PlannedBuffer[], limits: BufferLimits, budgetBytes = envBudget()): void {
  const bound = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const b of plan) {
    if (!b.sameAs && b.bytes > bound) {
      throw new MemoryLimitError(
        `the webgpu epochs' buffer '${b.name}' (${(b.bytes / 1e6).toFixed(0)} MB; this device binds ${(bound / 1e6).toFixed(0)} MB)`,
        b.bytes,
        bound,
        'one GPU buffer can bind no more (the adapter\'s maxStorageBufferBindingSize and maxBufferSize); train a smaller graph or on the cpu or wasm device',
      );
    }
  }
  const total = plan.reduce((sum, b) => sum + (b.sameAs ? 0 : b.bytes), 0);
  if (budgetBytes !== undefined && total > budgetBytes) {
    throw new MemoryLimitError(
      "the webgpu epochs' buffers",
      total,
      budgetBytes,
      'the graph and its activations would not fit in GPU memory (GCNLAB_GPU_MEMORY_GB); train a smaller graph or on the cpu or wasm device',
    );
  }
}

function envBudget(): number | undefined {
  const raw = typeof process === 'undefined' ? undefined : process.env.GCNLAB_GPU_MEMORY_GB;
  if (raw === undefined || raw === '') return undefined;
  const gb = Number(raw);
  if (!(gb > 0)) throw new InvalidOptionError('GCNLAB_GPU_MEMORY_GB', raw, 'a positive number of GiB');
  return gb * 2 ** 30;
}
