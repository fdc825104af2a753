// GcnSumSquares and GcnScale on WebGPU: one workgroup sums the squares of every input; scale is elementwise.
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { SCALE, SUM_SQUARES, type ScaleAttrs } from '../op-names.js';
import { asScalar, runProgram, workgroupSum, type WebGPUBackendLike } from './program.js';

export const sumSquaresConfig: KernelConfig = {
  kernelName: SUM_SQUARES,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const tensors = Object.values(inputs) as TensorInfo[];
    const names = tensors.map((_, i) => `x${i}`);
    const out = runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: `sumSquares_${tensors.length}`,
        inputs: names,
        outputShape: [1],
        uniforms: names.map((x) => `${x}Size : i32,`).join(' '),
        threads: 256,
        workgroupSize: 256,
        code: `${workgroupSum(['part'])}
          fn main(index : i32) {
            let t = localIndex;
            var s = 0.0;
            ${names.map((x) => `for (var i = i32(t); i < uniforms.${x}Size; i = i + 256) { s = s + ${x}[i] * ${x}[i]; }`).join('\n')}
            part[t] = s;
            workgroupBarrier();
            reduceAll(t);
            if (t == 0u) { result[0] = part[0]; }
          }`,
      },
      tensors,
      'float32',
      [{ type: 'int32', data: tensors.map((t) => util.sizeFromShape(t.shape)) }],
    );
    return asScalar(out);
  },
};

export const scaleConfig: KernelConfig = {
  kernelName: SCALE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { factor } = attrs as unknown as ScaleAttrs;
    const { x, s } = inputs as Record<string, TensorInfo>;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: 'scale',
        inputs: ['x', 's'],
        outputShape: x.shape,
        uniforms: 'factor : f32,',
        threads: util.sizeFromShape(x.shape),
        code: `
          fn main(index : i32) {
            if (index >= uniforms.size) { return; }
            result[index] = x[index] * s[0] * uniforms.factor;
          }`,
      },
      [x, s],
      'float32',
      [{ type: 'float32', data: [factor] }],
    );
  },
};
