// GcnAdam on WebGPU: two elementwise programs (a program has one output): the new state [m; v], and the new
// parameter, each recomputing the shared gradient term rather than waiting for the other.
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM, type AdamAttrs } from '../op-names.js';
import { runProgram, type WebGPUBackendLike } from './program.js';

const GRADIENT = `
  fn gradient(i : i32) -> f32 {
    let decay = select(0.0, uniforms.weightDecay / max(sqrt(sumSquares[0]), 1e-12), uniforms.weightDecay != 0.0);
    return grad[i] + decay * param[i];
  }`;
const UNIFORMS = 'n : i32, weightDecay : f32, beta1 : f32, beta2 : f32, lr : f32, c1 : f32, c2 : f32, epsilon : f32,';

export const adamConfig: KernelConfig = {
  kernelName: ADAM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { lr, beta1, beta2, epsilon, step, weightDecay } = attrs as unknown as AdamAttrs;
    const { param, grad, state, sumSquares } = inputs as Record<string, TensorInfo>;
    const n = util.sizeFromShape(param.shape);
    const uniforms = [{ type: 'int32' as const, data: [n] }, { type: 'float32' as const, data: [weightDecay, beta1, beta2, lr, 1 / (1 - beta1 ** step), 1 / (1 - beta2 ** step), epsilon] }];
    // Both programs bind the same inputs and uniforms; only the output and what `main` writes differ.
    const program = (key: string, outputShape: number[], main: string) =>
      runProgram(
        backend as unknown as WebGPUBackendLike,
        { key, inputs: ['param', 'grad', 'state', 'sumSquares'], outputShape, uniforms: UNIFORMS, threads: n, code: `${GRADIENT}${main}` },
        [param, grad, state, sumSquares],
        'float32',
        uniforms,
      );
    const state2 = program(
      'adamState',
      state.shape,
      `
          fn main(index : i32) {
            if (index >= uniforms.n) { return; }
            let g = gradient(index);
            result[index] = uniforms.beta1 * state[index] + (1.0 - uniforms.beta1) * g;
            result[uniforms.n + index] = uniforms.beta2 * state[uniforms.n + index] + (1.0 - uniforms.beta2) * g * g;
          }`,
    );
    const param2 = program(
      'adamParam',
      param.shape,
      `
          fn main(index : i32) {
            if (index >= uniforms.n) { return; }
            let g = gradient(index);
            let m = uniforms.beta1 * state[index] + (1.0 - uniforms.beta1) * g;
            let v = uniforms.beta2 * state[uniforms.n + index] + (1.0 - uniforms.beta2) * g * g;
            result[index] = param[index] - uniforms.lr * m * uniforms.c1 / (sqrt(v * uniforms.c2) + uniforms.epsilon);
          }`,
    );
    return [param2, state2];
  },
};
