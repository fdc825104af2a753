// train: the training loop, the device-side graph it runs on, and the check that an epoch fits before it starts.
export { train, type TrainOptions, type TrainResult } from './train.js';
export { timingStats, quantile, type TimingStats } from './stats.js';
export { toDevice, type DeviceGraph, type DeviceGraphOptions } from './device-graph.js';
export { checkEpochFits, epochBytes, widestHiddenThatFits, WASM_MEMORY_BYTES, type EpochModel } from './epoch-memory.js';
