// Masked softmax cross-entropy, its gradient and accuracy on WebGPU: one 256-thread workgroup reduces all rows.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { ACCURACY, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from '../op-names.js';
import { asScalar, runProgram, workgroupSum, type WebGPUBackendLike } from './program.js';

const ROW_STATS = `
  fn rowMax(row : i32, c : i32) -> f32 {
    var m = logits[row];
    for (var j = 1; j < c; j = j + 1) { m = max(m, logits[row + j]); }
    return m;
  }
  fn rowSumExp(row : i32, c : i32, m : f32) -> f32 {
    var s = 0.0;
    for (var j = 0; j < c; j = j + 1) { s = s + exp(logits[row + j] - m); }
    return s;
  }`;

/**
 * The mask-weighted mean of a per-row value, as a scalar: the loss and the accuracy differ only in `row`, WGSL that
 * adds w times row i's value to `total` (it sees i, row and w; rows of weight 0 are skipped).
 */
function maskedMean(backend: WebGPUBackendLike, key: string, inputs: Record<string, TensorInfo>, helpers: string, row: string): TensorInfo {
  const { logits, labels, mask } = inputs;
  const [n, c] = logits.shape;
  const out = runProgram(
    backend,
    {
      key,
      inputs: ['logits', 'labels', 'mask'],
      outputShape: [1],
      uniforms: 'n : i32, c : i32,',
      threads: 256,
      workgroupSize: 256,
      code: `${helpers}${workgroupSum(['partTotal', 'partWeight'])}
          fn main(index : i32) {
            let t = localIndex;
            var total = 0.0;
            var weight = 0.0;
            for (var i = i32(t); i < uniforms.n; i = i + 256) {
              let w = mask[i];
              if (w != 0.0) {
                let row = i * uniforms.c;
                ${row}
                weight = weight + w;
              }
            }
            partTotal[t] = total;
            partWeight[t] = weight;
            workgroupBarrier();
            reduceAll(t);
            if (t == 0u) { result[0] = select(0.0, partTotal[0] / partWeight[0], partWeight[0] != 0.0); }
          }`,
    },
    [logits, labels, mask],
    'float32',
    [{ type: 'int32', data: [n, c] }],
  );
  return asScalar(out);
}

export const softmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) =>
    maskedMean(
      backend as unknown as WebGPUBackendLike,
      'softmaxCrossEntropy',
      inputs as Record<string, TensorInfo>,
      ROW_STATS,
      `let m = rowMax(row, uniforms.c);
                total = total + w * (log(rowSumExp(row, uniforms.c, m)) + m - logits[row + labels[i]]);`,
    ),
};

export const softmaxCrossEntropyGradConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const { logits, labels, mask, dy } = inputs as Record<string, TensorInfo>;
    const [n, c] = logits.shape;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: 'softmaxCrossEntropyGrad',
        inputs: ['logits', 'labels', 'mask', 'dy'],
        outputShape: [n, c],
        uniforms: 'n : i32, c : i32,',
        threads: 256,
        workgroupSize: 256,
        code: `${ROW_STATS}${workgroupSum(['partWeight'])}
          fn main(index : i32) {
            let t = localIndex;
            var weight = 0.0;
            for (var i = i32(t); i < uniforms.n; i = i + 256) { weight = weight + mask[i]; }
            partWeight[t] = weight;
            workgroupBarrier();
            reduceAll(t);
            let total = partWeight[0];
            let scale = select(0.0, dy[0] / total, total != 0.0);
            let c = uniforms.c;
            for (var i = i32(t); i < uniforms.n; i = i + 256) {
              let row = i * c;
              let w = mask[i];
              if (w == 0.0) {
                for (var j = 0; j < c; j = j + 1) { result[row + j] = 0.0; }
              } else {
                let m = rowMax(row, c);
                let s = scale * w / rowSumExp(row, c, m);
                for (var j = 0; j < c; j = j + 1) { result[row + j] = s * exp(logits[row + j] - m); }
                result[row + labels[i]] = result[row + labels[i]] - scale * w;
              }
            }
          }`,
      },
      [logits, labels, mask, dy],
      'float32',
      [{ type: 'int32', data: [n, c] }],
    );
  },
};

export const accuracyConfig: KernelConfig = {
  kernelName: ACCURACY,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) =>
    maskedMean(
      backend as unknown as WebGPUBackendLike,
      'accuracy',
      inputs as Record<string, TensorInfo>,
      '',
      `var best = 0;
                for (var j = 1; j < uniforms.c; j = j + 1) { if (logits[row + j] > logits[row + best]) { best = j; } }
                if (best == labels[i]) { total = total + w; }`,
    ),
};
