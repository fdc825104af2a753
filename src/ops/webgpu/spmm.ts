// GcnSpmm on WebGPU: one thread per output entry walks its row's non-zeros (rows are short in a GCN).
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { SPMM, type SpmmAttrs } from '../op-names.js';
import { runProgram, type WebGPUBackendLike } from './program.js';

export const spmmConfig: KernelConfig = {
  kernelName: SPMM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { rows } = attrs as unknown as SpmmAttrs;
    const { rowPtr, colIndex, values, b, bias } = inputs as Record<string, TensorInfo>;
    const k = b.shape[1];
    const withBias = bias !== undefined;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: `spmm_${withBias}`,
        inputs: withBias ? ['rowPtr', 'colIndex', 'values', 'dense', 'bias'] : ['rowPtr', 'colIndex', 'values', 'dense'],
        outputShape: [rows, k],
        uniforms: 'k : i32,',
        threads: rows * k,
        code: `
          fn main(index : i32) {
            if (index >= uniforms.size) { return; }
            let k = uniforms.k;
            let i = index / k;
            let j = index - i * k;
            var s = ${withBias ? 'bias[j]' : '0.0'};
            let end = rowPtr[i + 1];
            for (var p = rowPtr[i]; p < end; p = p + 1) {
              s = s + values[p] * dense[colIndex[p] * k + j];
            }
            result[index] = s;
          }`,
      },
      withBias ? [rowPtr, colIndex, values, b, bias] : [rowPtr, colIndex, values, b],
      'float32',
      [{ type: 'int32', data: [k] }],
    );
  },
};
