// The runtime's public types that the timing messages mention, resolved from gcnlab's sources for type-checking
// only (tsconfig maps `gcnlab` here): the extension never loads the runtime.
export type { AdjacencyMode, BenchmarkRow, EpochEvent, RunSummary } from '../../src/events.js';
export type { DeviceInfo, DeviceName } from '../../src/device/types.js';
export type { PLOTLY_MIME, PlotlyJson } from '../../src/display/figure.js';
