// Cancellation: long runtime loops (training, benchmarks) stop at their next checkpoint when asked.
// A caller either passes an AbortSignal, or sets an ambient one for everything `fn` starts (a notebook kernel
// does this per cell, so an interrupt stops `train()` without the cell passing anything).
import { AsyncLocalStorage } from 'node:async_hooks';

const ambient = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` with `signal` as the ambient abort signal of everything it starts, awaited work included. */
export function withAbortSignal<T>(signal: AbortSignal, fn: () => T): T {
  return ambient.run(signal, fn);
}

/** The ambient abort signal, if a caller set one. */
export function currentAbortSignal(): AbortSignal | undefined {
  return ambient.getStore();
}

/**
 * Lets the event loop run (so timers, sockets and interrupt requests are served between epochs), then throws the
 * abort reason if `signal` or the ambient signal was aborted.
 */
export async function checkpoint(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
  currentAbortSignal()?.throwIfAborted();
}
