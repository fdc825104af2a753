// threads: a team of worker threads sharing one WebAssembly.Memory, and how many of them a run gets.
export { THREADS_ENV, checkThreads, threadCount } from './count.js';
export { splitCsrRows, splitEven, type RowRange } from './split.js';
export { ThreadTeam, runCalls, threadsUnavailable, type SimdCall } from './team.js';
