// Registers gcnlab's kernels for every backend and their gradients, once, when the ops room is first imported.
import * as tf from '@tensorflow/tfjs-core';
import { adjacencyMatMulGradConfig } from './adjacency-mat-mul.js';
import { columnSumGradConfig } from './column-sum.js';
import { cpuKernelConfigs, wasmKernelConfigs } from './host/index.js';
import { epochMetricsGradConfig } from './epoch-metrics.js';
import { matMulGradConfig } from './mat-mul.js';
import { reluDropoutGradConfig } from './relu-dropout.js';
import { softmaxCrossEntropyGradConfig } from './softmax-cross-entropy.js';
import { spmmGradConfig } from './spmm.js';
import { scaleGradConfig, sumSquaresGradConfig } from './sum-squares.js';
import { webgpuKernelConfigs } from './webgpu/index.js';

const gradConfigs: tf.GradConfig[] = [
  spmmGradConfig,
  matMulGradConfig,
  adjacencyMatMulGradConfig,
  columnSumGradConfig,
  reluDropoutGradConfig,
  softmaxCrossEntropyGradConfig,
  sumSquaresGradConfig,
  scaleGradConfig,
  epochMetricsGradConfig,
];

// Registration is keyed by backend name only, so it works before a backend is loaded. Guarded by lookups:
// a second copy of this module (tsx and dist in one process) must not re-register and trigger warnings.
for (const config of [...cpuKernelConfigs, ...wasmKernelConfigs, ...webgpuKernelConfigs]) {
  if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
}
for (const config of gradConfigs) {
  if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
}
