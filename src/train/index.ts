// train: the training loop and the device-side graph it runs on.
export { train, type TrainOptions, type TrainResult } from './train.js';
export { timingStats, quantile, type TimingStats } from './stats.js';
export { toDevice, type DeviceGraph, type DeviceGraphOptions } from './device-graph.js';
