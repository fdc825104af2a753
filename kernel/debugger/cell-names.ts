// The main thread's side of the debugger: while it is started, a cell is compiled under the path the front end
// computes for its code, and its line map goes to the control thread. While it is off this costs one idle channel.
import { BroadcastChannel } from 'node:worker_threads';
import { DEBUG_CHANNEL, type DebugChannelMessage } from './channel.js';
import { murmur2 } from './murmur2.js';

let naming: { prefix: string; seed: number; suffix: string } | undefined;
let channel: BroadcastChannel | undefined;

/** Listens for the control thread's debugger (once, from the kernel's start). */
export function listenForDebugger(): void {
  channel = new BroadcastChannel(DEBUG_CHANNEL);
  // Never what keeps the kernel alive.
  (channel as unknown as { unref(): void }).unref();
  channel.onmessage = (event) => {
    const message = (event as { data: DebugChannelMessage }).data;
    if (message.type === 'started') naming = { prefix: message.prefix, seed: message.seed, suffix: message.suffix };
    else if (message.type === 'stopped') naming = undefined;
  };
}

/** The file name a cell runs under while the debugger is started; undefined while it is off. */
export function debugCellPath(code: string): string | undefined {
  return naming && `${naming.prefix}${murmur2(code, naming.seed)}${naming.suffix}`;
}

/** Tells the debugger how the cell compiled under `path` maps to its TypeScript lines. */
export function announceCell(path: string, lines: number[]): void {
  if (naming) channel?.postMessage({ type: 'cell', path, lines } satisfies DebugChannelMessage);
}
