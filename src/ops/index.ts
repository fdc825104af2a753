// ops: gcnlab's differentiable kernels (sparse matmul, fused relu-dropout, cross-entropy, Adam) on every backend.
import './register.js';

export { SparseMatrix, sparseMatrix, type DeviceCsr } from './sparse-matrix.js';
export { spmm } from './spmm.js';
export { matMul, type MatMulOptions } from './mat-mul.js';
export { adjacencyMatMul } from './adjacency-mat-mul.js';
export { columnSum } from './column-sum.js';
export { reluDropout } from './relu-dropout.js';
export { softmaxCrossEntropy, accuracy } from './softmax-cross-entropy.js';
export { sumSquares, scale } from './sum-squares.js';
export { l2Penalty } from './l2-norm.js';
export { adamStep, adamState, type AdamStepResult } from './adam.js';
export { epochMetrics } from './epoch-metrics.js';
export { mixSeed, uniformAt } from './host/random.js';
export type { AdamAttrs } from './kernel-names.js';
export { withBufferRecycling, releaseBufferPool } from './cpu/buffer-pool.js';

// What the whole-epoch engines (src/epochs) build on: the host kernels' pieces, WebAssembly SIMD and threads, WGSL.
export {
  adamConstants,
  adamRange,
  columnSums,
  crossEntropy,
  denseProduct,
  dropoutThreshold,
  reluDropoutGradRange,
  reluDropoutRange,
  softmaxRow,
  spmmRows,
  transposeDense,
} from './host/index.js';
export { simdKernels, simdSupported, stripsFor, type SimdExports } from './wasm/simd/index.js';
export {
  checkThreads,
  KernelTeam,
  runCalls,
  splitCsrRows,
  splitEven,
  threadCount,
  threadsUnavailable,
  type KernelCall,
  type RowRange,
} from './wasm/threads/index.js';
export { HASH_WGSL } from './webgpu/random.js';
