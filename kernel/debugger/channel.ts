// What the main thread tells the control thread's debugger (a BroadcastChannel, so neither the worker's start-up nor
// the server's message routing changes): each cell's line map, as it compiles.
export const DEBUG_CHANNEL = 'gcnlab-debugger';

export type DebugChannelMessage =
  /** A cell compiled under `path`: lines[generated 0-based line] = its TypeScript 0-based line, -1 where none. */
  { type: 'cell'; path: string; lines: number[] };
