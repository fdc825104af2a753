// GcnReluDropout and its gradient on WebGPU: elementwise, the mask drawn from the shared counter-based hash.
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { RELU_DROPOUT, RELU_DROPOUT_GRAD, type ReluDropoutAttrs } from '../op-names.js';
import { runProgram, type WebGPUBackendLike } from './program.js';
import { UNIFORM_AT_WGSL } from './random.js';

export const reluDropoutConfig: KernelConfig = {
  kernelName: RELU_DROPOUT,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { rate, seed } = attrs as unknown as ReluDropoutAttrs;
    const { x } = inputs as Record<string, TensorInfo>;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: 'reluDropout',
        inputs: ['x'],
        outputShape: x.shape,
        uniforms: 'rate : f32, scale : f32, seed : u32,',
        threads: util.sizeFromShape(x.shape),
        code: `${UNIFORM_AT_WGSL}
          fn main(index : i32) {
            if (index >= uniforms.size) { return; }
            let v = x[index];
            var y = 0.0;
            if (v > 0.0 && (uniforms.rate == 0.0 || gcnUniformAt(uniforms.seed, u32(index)) >= uniforms.rate)) {
              y = v * uniforms.scale;
            }
            result[index] = y;
          }`,
      },
      [x],
      'float32',
      [
        { type: 'float32', data: [rate] },
        { type: 'float32', data: [rate === 0 ? 1 : 1 / (1 - rate)] },
        { type: 'uint32', data: [seed] },
      ],
    );
  },
};

export const reluDropoutGradConfig: KernelConfig = {
  kernelName: RELU_DROPOUT_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { rate } = attrs as unknown as ReluDropoutAttrs;
    const { dy, y } = inputs as Record<string, TensorInfo>;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: 'reluDropoutGrad',
        inputs: ['dy', 'y'],
        outputShape: y.shape,
        uniforms: 'scale : f32,',
        threads: util.sizeFromShape(y.shape),
        code: `
          fn main(index : i32) {
            if (index >= uniforms.size) { return; }
            result[index] = select(0.0, dy[index] * uniforms.scale, y[index] > 0.0);
          }`,
      },
      [dy, y],
      'float32',
      [{ type: 'float32', data: [1 / (1 - rate)] }],
    );
  },
};
