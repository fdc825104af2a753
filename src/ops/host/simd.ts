// The host kernels' WebAssembly SIMD paths, taken on the wasm heap for outputs at least four columns wide.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { stripsFor } from '../simd/index.js';
import type { HostSimd } from './io.js';
import { dropoutThreshold } from '../random.js';

/** out = A @ b (+ bias), A in CSR; b and out have `width` columns. */
export function spmmSimd(simd: HostSimd, rows: number, width: number, csr: [TensorInfo, TensorInfo, TensorInfo], b: TensorInfo, bias: TensorInfo | undefined, out: TensorInfo): void {
  const { kernels, address } = simd;
  const [ptr, col, val] = csr.map(address);
  const [bp, op, biasP] = [address(b), address(out), bias ? address(bias) : 0];
  for (const s of stripsFor(width)) kernels[`spmm${s.width}`](rows, ptr, col, val, bp, 4 * width, biasP, op, 4 * width, ...s.place);
}

/** out = a @ b (+ bias) for a dense m x k `a`, skipping its zeros; b and out have `width` columns. */
export function gemmSimd(simd: HostSimd, m: number, k: number, width: number, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, out: TensorInfo): void {
  const { kernels, address } = simd;
  const [ap, bp, op, biasP] = [address(a), address(b), address(out), bias ? address(bias) : 0];
  for (const s of stripsFor(width)) kernels[`gemm_nn${s.width}`](m, k, ap, 4 * k, bp, 4 * width, biasP, op, 4 * width, ...s.place);
}

/**
 * out = a^T @ b (+ bias) for `a` stored k x m (out has m rows), skipping a's zeros. Strips run last first: a strip
 * sets its columns before adding into them, so the strip whose last vector overlaps must not run after the other.
 */
export function gemmTransposedSimd(simd: HostSimd, m: number, k: number, width: number, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, out: TensorInfo): void {
  const { kernels, address } = simd;
  const [ap, bp, op, biasP] = [address(a), address(b), address(out), bias ? address(bias) : 0];
  for (const s of [...stripsFor(width)].reverse()) {
    kernels[`gemm_tn${s.width}`](k, m, ap, 4 * m, bp, 4 * width, biasP, op, 4 * width, ...s.place, s.skip, 0);
  }
}

/** The first n4 (a multiple of 4) entries of relu-dropout; kept where hashAt(seed, i) >= dropoutThreshold(rate). */
export function reluDropoutSimd(simd: HostSimd, n4: number, x: TensorInfo, out: TensorInfo, rate: number, seed: number): void {
  simd.kernels.relu_dropout(n4, simd.address(x), simd.address(out), seed | 0, dropoutThreshold(rate), 1 / (1 - rate), 0);
}

export function reluDropoutGradSimd(simd: HostSimd, n4: number, dy: TensorInfo, y: TensorInfo, out: TensorInfo, rate: number): void {
  simd.kernels.relu_dropout_grad(n4, simd.address(dy), simd.address(y), simd.address(out), 1 / (1 - rate));
}
