// a @ b (either transposed) for products with millions of output rows, one thread per output entry: tfjs's tiled
// matMul puts 32 output rows in a workgroup along y, so past 65,535 x 32 rows (2.1 million nodes) its dispatch
// exceeds WebGPU's per-dimension limit. A flat dispatch is folded into 2-D by tfjs, so it has no such bound.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { runProgram, type WebGPUBackendLike } from './program.js';

/** Output rows above which the flat kernel replaces tfjs's tiled one (with a margin under 65,535 x 32). */
export const TALL_ROWS = 2 ** 20;

/** a (m x k, or k x m transposed) @ b (k x n, or n x k transposed) [+ bias n] as one flat program. */
export function tallMatMul(backend: WebGPUBackendLike, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, transposeA: boolean, transposeB: boolean): TensorInfo {
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const aAt = transposeA ? `p * ${m} + i` : `i * ${k} + p`;
  const bAt = transposeB ? `j * ${k} + p` : `p * ${n} + j`;
  const inputs = bias ? [a, b, bias] : [a, b];
  return runProgram(
    backend,
    {
      key: `tallMatMul_${transposeA}_${transposeB}_${m}_${k}_${n}_${!!bias}`,
      inputs: bias ? ['a', 'b', 'bias'] : ['a', 'b'],
      outputShape: [m, n],
      threads: m * n,
      code: `
        fn main(index : i32) {
          if (index >= uniforms.size) { return; }
          let i = index / ${n};
          let j = index - i * ${n};
          var s = ${bias ? 'bias[j]' : '0.0'};
          for (var p = 0; p < ${k}; p++) { s += a[${aAt}] * b[${bAt}]; }
          result[index] = s;
        }`,
    },
    inputs,
  );
}
