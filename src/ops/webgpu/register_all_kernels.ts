// gcnlab's kernels for tfjs-backend-webgpu: WGSL programs run through the backend's program API, and the
// dense products and column sums delegated to the backend's own kernels.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { adamConfig } from './adam.js';
import { epochMetricsConfig } from './epoch-metrics.js';
import { reluDropoutConfig, reluDropoutGradConfig } from './relu-dropout.js';
import { accuracyConfig, softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig } from './softmax-cross-entropy.js';
import { spmmConfig } from './spmm.js';
import { columnSumConfig, constantMatMulConfig, matMulConfig } from './stock.js';
import { scaleConfig, sumSquaresConfig } from './sum-squares.js';

export const webgpuKernelConfigs: KernelConfig[] = [
  spmmConfig,
  matMulConfig,
  constantMatMulConfig,
  columnSumConfig,
  reluDropoutConfig,
  reluDropoutGradConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyGradConfig,
  accuracyConfig,
  sumSquaresConfig,
  scaleConfig,
  adamConfig,
  epochMetricsConfig,
];
