// gcnlab: the seed article's GCN on Cora in TypeScript, on every device TensorFlow.js reaches.
// Imports run one way: errors, events -> sparse -> data -> ops -> epochs -> nn -> train -> bench -> display -> cli;
// device sits beside (above ops, below train). test/architecture.test.ts checks it, and that rooms use their doors.
export * from './errors.js';
export * from './events.js';
export { enableStockGradients } from './autodiff.js';
export { withAbortSignal, currentAbortSignal, checkpoint } from './cancel.js';
export * from './device/index.js';
export * from './sparse/index.js';
export * from './data/index.js';
export {
  SparseMatrix,
  sparseMatrix,
  spmm,
  matMul,
  adjacencyMatMul,
  columnSum,
  reluDropout,
  softmaxCrossEntropy,
  accuracy,
  sumSquares,
  scale,
  l2Penalty,
  adamStep,
  adamState,
  epochMetrics,
  mixSeed,
  uniformAt,
  withBufferRecycling,
  releaseBufferPool,
  type DeviceCsr,
  type MatMulOptions,
  type AdamStepResult,
  type AdamAttrs,
} from './ops/index.js';
export { HostEpochs, WebGpuEpochs, type HostCodePath, type EpochShape, type EpochLayer } from './epochs/index.js';
export * from './nn/index.js';
export * from './train/index.js';
export * from './bench/index.js';
export * from './display/index.js';
