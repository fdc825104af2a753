// What the kernel's main thread and its control thread tell each other about timing, over a BroadcastChannel (so
// neither needs the other's Worker handle): the records published, the running cell, device-switch requests.
import { BroadcastChannel } from 'node:worker_threads';
import type { TimingRecord } from './messages.js';

const NAME = 'gcnlab.timing.threads';

export type ThreadMessage =
  /** main -> control: records just published on iopub, for the history. */
  | { type: 'records'; session: string; records: TimingRecord[] }
  /** main -> control: the cell now running (null between cells). */
  | { type: 'cell'; running: number | null }
  /** control -> main: a frontend asked for the history, so it listens for records on iopub from now on. */
  | { type: 'listening' }
  /** control -> main: a frontend asked for a device switch on the control channel. */
  | { type: 'switch-device'; device: string; requestId: string };

export interface ThreadChannel {
  post(message: ThreadMessage): void;
  close(): void;
}

/** Opens the channel in this thread; it never keeps the thread alive by itself. */
export function openThreadChannel(receive: (message: ThreadMessage) => void): ThreadChannel {
  const channel = new BroadcastChannel(NAME);
  channel.onmessage = (event) => receive((event as unknown as { data: ThreadMessage }).data);
  channel.unref();
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
}
