// How many threads the wasm device's fused epochs use: the caller's choice, else $GCNLAB_THREADS, else every core.
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../../errors.js';

export const THREADS_ENV = 'GCNLAB_THREADS';

/** A positive integer, or an InvalidOptionError naming `option`. */
export function checkThreads(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(option, value, 'a positive integer (1 runs everything on the calling thread)');
  }
  return value;
}

/**
 * `threads` when given, else $GCNLAB_THREADS when set, else the cores this process may use; never more than those
 * (threads past the cores would only wait for one another).
 */
export function threadCount(threads?: number): number {
  const cores = availableParallelism();
  if (threads !== undefined) return Math.min(cores, checkThreads('threads', threads));
  const fromEnv = process.env[THREADS_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') return cores;
  return Math.min(cores, checkThreads(THREADS_ENV, /^\s*\d+\s*$/.test(fromEnv) ? Number(fromEnv) : fromEnv));
}
