// The main thread's side of the control thread: starting it, and the shared flags both threads read.
import { Worker } from 'node:worker_threads';
import type { ConnectionInfo } from './wire/connection.js';

/** Index in the shared Int32Array: how many interrupts have been requested since start (only grows). */
export const INTERRUPTS = 0;
/** Index: 1 while the main thread runs synchronous cell code under breakOnSigint, where a SIGINT breaks it. */
export const IN_SYNC_CODE = 1;
/** Index: 1 while a SIGINT the control thread sent to break synchronous code is on its way (already counted). */
export const SELF_SIGNAL = 2;

export interface ControlInit {
  connection: ConnectionInfo;
  shared: SharedArrayBuffer;
}

export type ToControl = { type: 'kernel-info'; content: Record<string, unknown> } | { type: 'close' };
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

export function startControlThread(connection: ConnectionInfo): ControlThread {
  const shared = new SharedArrayBuffer(12);
  const worker = new Worker(new URL('./control-thread.js', import.meta.url), { workerData: { connection, shared } satisfies ControlInit });
  worker.unref();
  return {
    flags: new Int32Array(shared),
    send: (message) => worker.postMessage(message),
    on: (listener) => worker.on('message', listener),
    close: async () => {
      // The thread closes its sockets and ends by itself: terminating it under pending receives aborts in zeromq.
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ type: 'close' } satisfies ToControl);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
