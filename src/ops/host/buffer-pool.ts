// Recycles the output arrays of gcnlab's ops on the cpu backend within a training step. A fresh 170 KB Float32Array costs
// ~0.3 ms here (mmap, page faults, GC pressure): more than the op that fills it.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

const free = new Map<number, Float32Array[]>();
/** Arrays handed out in the current recycling scope: only these may come back to the pool. */
let scope: Set<Float32Array> | null = null;
const patched = new WeakSet<object>();

/** A float32 output array: from the pool inside a recycling scope, fresh outside. Not zeroed. */
export function allocFloat32(size: number): Float32Array {
  if (!scope) return new Float32Array(size);
  const values = free.get(size)?.pop() ?? new Float32Array(size);
  scope.add(values);
  return values;
}

/**
 * Makes `backend` hand the arrays of tensors disposed inside a scope back to the pool. Safe because within a scope
 * (a training step: gcnlab's kernels and tfjs's gradient bookkeeping) no one keeps a view of an array past the
 * tensor's disposal; arrays that leave the scope alive (new parameters, metrics) are never recycled.
 */
export function recycleFrom(backend: MathBackendCPU): void {
  if (patched.has(backend)) return;
  patched.add(backend);
  const dispose = backend.disposeData.bind(backend);
  backend.disposeData = (dataId: object, force?: boolean): boolean => {
    const values = scope !== null && backend.data.has(dataId) ? backend.data.get(dataId).values : undefined;
    const released = dispose(dataId, force);
    if (released && values instanceof Float32Array && scope?.delete(values)) {
      let list = free.get(values.length);
      if (!list) free.set(values.length, (list = []));
      list.push(values);
    }
    return released;
  };
}

/** Runs `fn` (synchronous) as one recycling scope; the pool is kept for the next scope. */
export function withBufferRecycling<T>(fn: () => T): T {
  const outer = scope;
  scope = new Set();
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/** Drops the pooled arrays (at the end of a training run). */
export function releaseBufferPool(): void {
  free.clear();
}
