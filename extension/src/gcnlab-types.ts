// The runtime's public types that the timing messages and the plotly renderer mention, resolved from gcnlab's sources
// for type-checking only (tsconfig maps `gcnlab` here): the extension never loads the runtime. PLOTLY_MIME crosses
// as its literal type, so the renderer's own constant is checked against the runtime's.
export type { AdjacencyMode, BenchmarkRow, EpochEvent, RunSummary } from '../../src/events.js';
export type { DeviceInfo, DeviceName } from '../../src/device/types.js';
export type { PLOTLY_MIME, PlotlyJson } from '../../src/display/figure.js';
