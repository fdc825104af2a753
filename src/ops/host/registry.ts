// The registry of host ops: every op's host implementation by op name, the one list that the cpu and wasm
// backends both register.
import * as names from '../op-names.js';
import { adam } from './adam.js';
import { columnSum } from './column-sum.js';
import { epochMetrics } from './epoch-metrics.js';
import type { HostOp } from './io.js';
import { matMul } from './mat-mul.js';
import { reluDropout, reluDropoutGrad } from './relu-dropout.js';
import { accuracy, softmaxCrossEntropy, softmaxCrossEntropyGrad } from './softmax-cross-entropy.js';
import { spmm } from './spmm.js';
import { scale, sumSquares } from './sum-squares.js';

export const HOST_OPS: Record<string, HostOp> = {
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

