// How many threads the wasm device's fused epochs use: the caller's choice, else $GCNLAB_THREADS, else every core.
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../../../errors.js';

export const THREADS_ENV = 'GCNLAB_THREADS';

/** A positive integer, or an InvalidOptionError naming `option`. */
export function checkThreads(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(option, value, 'a positive integer (1 runs everything on the calling thread)');
  }
  return value;
}

/** `threads` when given, else $GCNLAB_THREADS when set, else the cores this process may use. */
export function threadCount(threads?: number): number {
  if (threads !== undefined) return checkThreads('threads', threads);
  const fromEnv = process.env[THREADS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkThreads(THREADS_ENV, /^\d+$/.test(fromEnv.trim()) ? Number(fromEnv) : fromEnv);
  return availableParallelism();
}
