// Kernels WebGPU already does well, delegated to tfjs-backend-webgpu's own: dense products and column sums (products
// with millions of output rows go to tallMatMul instead, past what tfjs's dispatch can address).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { COLUMN_SUM, CONSTANT_MAT_MUL, MAT_MUL, type MatMulAttrs } from '../op-names.js';
import type { WebGPUBackendLike } from './program.js';
import { TALL_ROWS, tallMatMul } from './tall-mat-mul.js';

function stock(name: string): tf.KernelFunc {
  const kernel = tf.getKernel(name, 'webgpu');
  if (!kernel) throw new Error(`tfjs-backend-webgpu has no ${name} kernel: is @tensorflow/tfjs-backend-webgpu loaded?`);
  return kernel.kernelFunc;
}

function matMul({ inputs, attrs, backend }: Parameters<tf.KernelFunc>[0]) {
  const { a, b, bias } = inputs as Record<string, TensorInfo>;
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  if ((transposeA ? a.shape[1] : a.shape[0]) > TALL_ROWS) {
    return tallMatMul(backend as unknown as WebGPUBackendLike, a, b, bias, transposeA, transposeB);
  }
  if (bias) {
    return stock(tf._FusedMatMul)({ inputs: { a, b, bias }, attrs: { transposeA, transposeB, activation: 'linear' }, backend });
  }
  return stock(tf.BatchMatMul)({ inputs: { a, b }, attrs: { transposeA, transposeB }, backend });
}

export const matMulConfig: KernelConfig = { kernelName: MAT_MUL, backendName: 'webgpu', kernelFunc: matMul };
export const constantMatMulConfig: KernelConfig = { kernelName: CONSTANT_MAT_MUL, backendName: 'webgpu', kernelFunc: matMul };

export const columnSumConfig: KernelConfig = {
  kernelName: COLUMN_SUM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => stock(tf.Sum)({ inputs: { x: inputs.x! }, attrs: { axis: [0], keepDims: false }, backend }),
};
