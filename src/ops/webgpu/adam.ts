// GcnAdam on WebGPU: three elementwise passes (first moment, second moment, parameter), since a program has one output.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM, type AdamAttrs } from '../kernel-names.js';
import { runProgram, type WebGPUBackendLike } from './program.js';

const GRADIENT = 'let g = grad[index] + decay[0] * param[index];';

export const adamConfig: KernelConfig = {
  kernelName: ADAM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { lr, beta1, beta2, epsilon, step } = attrs as unknown as AdamAttrs;
    const { param, grad, m, v, decay } = inputs as Record<string, TensorInfo>;
    const gpu = backend as unknown as WebGPUBackendLike;
    const n = param.shape.reduce((a, b) => a * b, 1);
    const base = { outputShape: param.shape, threads: n };
    const m2 = runProgram(
      gpu,
      {
        ...base,
        key: 'adamM',
        inputs: ['param', 'grad', 'm', 'decay'],
        uniforms: 'beta1 : f32,',
        code: `fn main(index : i32) {
          if (index >= uniforms.size) { return; }
          ${GRADIENT}
          result[index] = uniforms.beta1 * m[index] + (1.0 - uniforms.beta1) * g;
        }`,
      },
      [param, grad, m, decay],
      'float32',
      [{ type: 'float32', data: [beta1] }],
    );
    const v2 = runProgram(
      gpu,
      {
        ...base,
        key: 'adamV',
        inputs: ['param', 'grad', 'v', 'decay'],
        uniforms: 'beta2 : f32,',
        code: `fn main(index : i32) {
          if (index >= uniforms.size) { return; }
          ${GRADIENT}
          result[index] = uniforms.beta2 * v[index] + (1.0 - uniforms.beta2) * g * g;
        }`,
      },
      [param, grad, v, decay],
      'float32',
      [{ type: 'float32', data: [beta2] }],
    );
    const p2 = runProgram(
      gpu,
      {
        ...base,
        key: 'adamP',
        inputs: ['param', 'm', 'v'],
        uniforms: 'lr : f32, c1 : f32, c2 : f32, epsilon : f32,',
        code: `fn main(index : i32) {
          if (index >= uniforms.size) { return; }
          result[index] = param[index] - uniforms.lr * m[index] * uniforms.c1 / (sqrt(v[index] * uniforms.c2) + uniforms.epsilon);
        }`,
      },
      [param, m2, v2],
      'float32',
      [{ type: 'float32', data: [lr, 1 / (1 - beta1 ** step), 1 / (1 - beta2 ** step), epsilon] }],
    );
    return [p2, m2, v2];
  },
};
