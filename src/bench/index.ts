// Benchmarking: the article's protocol on every device, with statistics and the article's reference numbers.
export { benchmark, type BenchmarkOptions, type BenchmarkProgress, type BenchmarkResult, type SkippedRow } from './run.js';
export { REFERENCE_TIMINGS, REFERENCE_PROVENANCE, DEVICE_COLORS, REFERENCE_COLORS, type ReferenceTiming } from './references.js';
export { machineInfo, type MachineInfo } from './machine.js';
export { scalingBenchmark, fitGrowth, type ScalingOptions, type ScalingMeasurement, type ScalingRefusal, type ScalingFit, type ScalingResult } from './scaling.js';
export { linearFit, powerLawFit, type LinearFit } from './fit.js';
