// ops: gcnlab's differentiable ops (sparse matmul, fused relu-dropout, cross-entropy, Adam), implemented on every backend.
import './register.js';

export { SparseMatrix, sparseMatrix } from './sparse-matrix.js';
export type { DeviceCsr } from './operands.js';
export { spmm } from './spmm.js';
export { matMul, type MatMulOptions } from './mat-mul.js';
export { adjacencyMatMul } from './adjacency-mat-mul.js';
export { columnSum } from './column-sum.js';
export { reluDropout } from './relu-dropout.js';
export { softmaxCrossEntropy, accuracy } from './softmax-cross-entropy.js';
export { sumSquares, scale } from './sum-squares.js';
export { l2Penalty } from './l2-penalty.js';
export { adamStep, adamState, type AdamStepResult } from './adam.js';
export { epochMetrics } from './epoch-metrics.js';
export { mixSeed, uniformAt } from './random.js';
export type { AdamAttrs } from './op-names.js';
export { withBufferRecycling, releaseBufferPool } from './host/index.js';

// What the whole-epoch engines (src/epochs) build on: the host ops' pieces, the dropout mask's rule, WebAssembly SIMD
// and threads, WGSL.
export { dropoutThreshold } from './random.js';
export {
  adamConstants,
  adamRange,
  columnSums,
  crossEntropy,
  denseProduct,
  reluDropoutGradRange,
  reluDropoutRange,
  softmaxRow,
  spmmRows,
  transposeDense,
  transposeMatrix,
} from './host/index.js';
export { simdOn, simdSupported, stripsFor, type SimdExports } from './simd/index.js';
export {
  checkThreads,
  ThreadTeam,
  runCalls,
  splitCsrRows,
  splitEven,
  threadCount,
  threadsUnavailable,
  type SimdCall,
  type RowRange,
} from './threads/index.js';
export { HASH_WGSL } from './webgpu/index.js';
