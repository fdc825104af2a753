// One fused Adam step on the host, with the gradient of the article's weight-decay term folded in.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { AdamAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';

export function adam(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const a = attrs as unknown as AdamAttrs;
  const { param, grad, state, sumSquares } = inputs;
  const p2 = io.alloc(param.shape, 'float32');
  const s2 = io.alloc(state.shape, 'float32');
  const [p, g, s, ss, po, so] = io.views([param, grad, state, sumSquares, p2, s2]) as Float32Array[];
  const n = p.length;
  adamRange(adamConstants(a, ss[0]), 0, n, p, g, s.subarray(0, n), s.subarray(n), po, so.subarray(0, n), so.subarray(n));
  return [p2, s2];
}

/** What one Adam step multiplies by: the attributes, d (the L2 term's factor) and the bias corrections c1, c2. */
export interface AdamConstants {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  d: number;
  c1: number;
  c2: number;
}

/** The constants of Adam step `step`, given the sum of squares of all parameters. */
export function adamConstants(attrs: AdamAttrs, sumSquares: number): AdamConstants {
  const { lr, beta1, beta2, epsilon, step, weightDecay } = attrs;
  const d = weightDecay === 0 ? 0 : weightDecay / Math.max(Math.sqrt(sumSquares), 1e-12);
  return { lr, beta1, beta2, epsilon, d, c1: 1 / (1 - beta1 ** step), c2: 1 / (1 - beta2 ** step) };
}

/**
 * Entries [start, end) of an Adam step in doubles: g = grad + d * p, the moments m and v updated, p stepped. Reads
 * p, g, m, v and writes po, mo, vo, which may be the same arrays (an update in place).
 */
export function adamRange(
  k: AdamConstants,
  start: number,
  end: number,
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  po: Float32Array,
  mo: Float32Array,
  vo: Float32Array,
): void {
  const { lr, beta1, beta2, epsilon, d, c1, c2 } = k;
  for (let i = start; i < end; i++) {
    const gi = g[i] + d * p[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    po[i] = p[i] - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
  }
}
