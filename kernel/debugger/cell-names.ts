// The main thread's side of the debugger: each cell runs under its debug path (naming.ts), and its line map goes to
// the control thread's adapter, which keeps them, so the debugger can be switched on after cells have run.
import { BroadcastChannel } from 'node:worker_threads';
import { DEBUG_CHANNEL, type DebugChannelMessage } from './channel.js';

let channel: BroadcastChannel | undefined;

/** Tells the debugger how the cell compiled under `path` maps to its TypeScript lines. */
export function announceCell(path: string, lines: number[]): void {
  if (!channel) {
    channel = new BroadcastChannel(DEBUG_CHANNEL);
    // Never what keeps the kernel alive.
    (channel as unknown as { unref(): void }).unref();
  }
  channel.postMessage({ type: 'cell', path, lines } satisfies DebugChannelMessage);
}
