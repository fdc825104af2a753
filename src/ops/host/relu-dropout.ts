// relu then inverted dropout on the host; the gradient needs only the output (y > 0 where x > 0 and kept).
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { ReluDropoutAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';
import { dropoutThreshold, hashAt } from '../random.js';
import { reluDropoutGradSimd, reluDropoutSimd } from './simd.js';

export function reluDropout(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { rate, seed } = attrs as unknown as ReluDropoutAttrs;
  const { x } = inputs;
  const out = io.alloc(x.shape, 'float32');
  const [xv, o] = io.views([x, out]) as Float32Array[];
  // On the wasm heap, SIMD does all but the last (length mod 4) entries.
  const start = io.simd ? xv.length & ~3 : 0;
  if (io.simd) reluDropoutSimd(io.simd, start, x, out, rate, seed);
  reluDropoutRange(xv, o, start, xv.length, rate, seed);
  return out;
}

/** Entries [start, end) of relu-dropout in JavaScript. */
export function reluDropoutRange(xv: Float32Array, o: Float32Array, start: number, end: number, rate: number, seed: number): void {
  if (rate === 0) {
    for (let i = start; i < end; i++) o[i] = xv[i] > 0 ? xv[i] : 0;
  } else {
    const scale = 1 / (1 - rate);
    const threshold = dropoutThreshold(rate);
    for (let i = start; i < end; i++) o[i] = xv[i] > 0 && hashAt(seed, i) >= threshold ? xv[i] * scale : 0;
  }
}

export function reluDropoutGrad(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { rate } = attrs as unknown as ReluDropoutAttrs;
  const { dy, y } = inputs;
  const out = io.alloc(y.shape, 'float32');
  const [dv, yv, o] = io.views([dy, y, out]) as Float32Array[];
  const scale = 1 / (1 - rate);
  const start = io.simd ? yv.length & ~3 : 0;
  if (io.simd) reluDropoutGradSimd(io.simd, start, dy, y, out, rate);
  reluDropoutGradRange(dv, yv, o, start, yv.length, scale);
  return out;
}

/** Entries [start, end) of relu-dropout's gradient in JavaScript: dy * scale where the output was kept. */
export function reluDropoutGradRange(dv: Float32Array, yv: Float32Array, o: Float32Array, start: number, end: number, scale: number): void {
  for (let i = start; i < end; i++) o[i] = yv[i] > 0 ? dv[i] * scale : 0;
}
