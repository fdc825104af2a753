// Every host kernel by kernel name: the cpu and wasm registries both serve this list.
import * as names from '../kernel-names.js';
import { adam } from './adam.js';
import { columnSum } from './column-sum.js';
import { epochMetrics } from './epoch-metrics.js';
import type { HostKernel } from './io.js';
import { matMul } from './mat-mul.js';
import { reluDropout, reluDropoutGrad } from './relu-dropout.js';
import { accuracy, softmaxCrossEntropy, softmaxCrossEntropyGrad } from './softmax-cross-entropy.js';
import { spmm } from './spmm.js';
import { scale, sumSquares } from './sum-squares.js';

export type { HostIO, HostKernel, HostArray, HostSimd, Inputs } from './io.js';

export const HOST_KERNELS: Record<string, HostKernel> = {
  [names.SPMM]: spmm,
  [names.MAT_MUL]: matMul,
  [names.CONSTANT_MAT_MUL]: matMul,
  [names.COLUMN_SUM]: columnSum,
  [names.RELU_DROPOUT]: reluDropout,
  [names.RELU_DROPOUT_GRAD]: reluDropoutGrad,
  [names.SOFTMAX_CROSS_ENTROPY]: softmaxCrossEntropy,
  [names.SOFTMAX_CROSS_ENTROPY_GRAD]: softmaxCrossEntropyGrad,
  [names.ACCURACY]: accuracy,
  [names.SUM_SQUARES]: sumSquares,
  [names.SCALE]: scale,
  [names.ADAM]: adam,
  [names.EPOCH_METRICS]: epochMetrics,
};

// The pieces of these kernels that the whole-epoch host engine (src/epochs/host) composes over its own memory.
export { adamConstants, adamRange } from './adam.js';
export { columnSums } from './column-sum.js';
export { denseProduct } from './mat-mul.js';
export { dropoutThreshold } from './random.js';
export { reluDropoutGradRange, reluDropoutRange } from './relu-dropout.js';
export { crossEntropy, softmaxRow } from './softmax-row.js';
export { spmmRows } from './spmm.js';
export { transposeDense } from './transpose-dense.js';
