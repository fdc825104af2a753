// What the control thread's debugger and the main thread tell each other (a BroadcastChannel, so neither the worker's
// start-up nor the server's message routing changes): the naming of cells while debugging, and each debugged cell's
// line map.
export const DEBUG_CHANNEL = 'gcnlab-debugger';

export type DebugChannelMessage =
  /** The debugger started: cells compile under prefix + murmur2(code, seed) + suffix, the path the front end computes. */
  | { type: 'started'; prefix: string; seed: number; suffix: string }
  | { type: 'stopped' }
  /** A cell compiled under `path`: lines[generated 0-based line] = its TypeScript 0-based line, -1 where none. */
  | { type: 'cell'; path: string; lines: number[] };
