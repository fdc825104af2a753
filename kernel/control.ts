// The main thread's side of the control thread: starting it, and the shared flags both threads read.
import { Worker } from 'node:worker_threads';
import type { MainThreadFigures } from './usage.js';
import type { ConnectionInfo } from './wire/connection.js';

/** Index in the shared Int32Array: how many interrupts have been requested since start (only grows). */
export const INTERRUPTS = 0;
/**
 * Index: where the main thread stands towards a SIGINT from the control thread: a SyncCode in the low two bits, and
 * above them the interrupt count when the running cell started (its startSeq). Both threads move it by
 * compare-exchange, so a signal goes only to the synchronous code of a cell that started before the interrupt and is
 * still running, and that code ends only once the signal has arrived: it never reaches the next cell.
 */
export const SYNC_CODE = 1;

/** The SYNC_CODE word of a cell that started at interrupt count `startSeq`, in `state` (a SyncCode). */
export function syncWord(startSeq: number, state: number): number {
  return (startSeq << 2) | state;
}

/** A SYNC_CODE word's parts: the running cell's startSeq and its SyncCode state. */
export function readSyncWord(word: number): { startSeq: number; state: number } {
  return { startSeq: word >>> 2, state: word & 3 };
}

/** Counts one more interrupt request; returns its number. */
export function nextInterrupt(flags: Int32Array): number {
  return Atomics.add(flags, INTERRUPTS, 1) + 1;
}
export const SyncCode = {
  /** Not inside a cell's script: no signal is sent (just around the script, Node's default SIGINT ends the kernel). */
  outside: 0,
  /** Inside a cell's script, under breakOnSigint's watchdog: a SIGINT breaks it. */
  running: 1,
  /** The control thread is breaking the script with a SIGINT (already counted in INTERRUPTS). */
  signalled: 2,
} as const;

export interface ControlInit {
  connection: ConnectionInfo;
  shared: SharedArrayBuffer;
  /** The session id of every message the kernel sends, from either thread. */
  session: string;
}

export type ToControl =
  | { type: 'kernel-info'; content: Record<string, unknown> }
  /** The main thread's heap and tensors, posted four times a second and at training epochs, for usage_request. */
  | { type: 'usage'; figures: MainThreadFigures }
  /** A signed iopub message of the main thread, to be sent in order after those before it. */
  | { type: 'iopub'; frames: Uint8Array[] }
  | { type: 'close' };
export type FromControl =
  | { type: 'interrupt'; seq: number }
  | { type: 'shutdown'; restart: boolean }
  | { type: 'log'; text: string };

export interface ControlThread {
  flags: Int32Array;
  send(message: ToControl): void;
  on(listener: (message: FromControl) => void): void;
  close(): Promise<void>;
}

export function startControlThread(connection: ConnectionInfo, session: string): ControlThread {
  const shared = new SharedArrayBuffer(8);
  const worker = new Worker(new URL('./control-thread.js', import.meta.url), { workerData: { connection, shared, session } satisfies ControlInit });
  worker.unref();
  return {
    flags: new Int32Array(shared),
    send: (message) => {
      if (message.type !== 'iopub') return worker.postMessage(message);
      // Small Buffers are views of Node's shared 8 KiB pool, which postMessage would copy whole: each frame is copied
      // into its own ArrayBuffer and moved, not cloned.
      const frames = message.frames.map((frame) => new Uint8Array(frame));
      worker.postMessage({ type: 'iopub', frames } satisfies ToControl, frames.map((frame) => frame.buffer));
    },
    on: (listener) => worker.on('message', listener),
    close: async () => {
      // The thread closes its sockets and ends by itself: terminating it under pending receives aborts in zeromq.
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ type: 'close' } satisfies ToControl);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
