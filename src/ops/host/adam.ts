// One fused Adam step on the host, with the gradient of the article's weight-decay term folded in.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { AdamAttrs } from '../kernel-names.js';
import type { HostIO, Inputs } from './io.js';

export function adam(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { lr, beta1, beta2, epsilon, step, weightDecay } = attrs as unknown as AdamAttrs;
  const { param, grad, state, sumSquares } = inputs;
  const p2 = io.alloc(param.shape, 'float32');
  const s2 = io.alloc(state.shape, 'float32');
  const [p, g, s, ss, po, so] = io.views([param, grad, state, sumSquares, p2, s2]) as Float32Array[];
  const n = p.length;
  const d = weightDecay === 0 ? 0 : weightDecay / Math.max(Math.sqrt(ss[0]), 1e-12);
  const c1 = 1 / (1 - beta1 ** step);
  const c2 = 1 / (1 - beta2 ** step);
  for (let i = 0; i < n; i++) {
    const gi = g[i] + d * p[i];
    const mi = beta1 * s[i] + (1 - beta1) * gi;
    const vi = beta2 * s[n + i] + (1 - beta2) * gi * gi;
    so[i] = mi;
    so[n + i] = vi;
    po[i] = p[i] - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
  }
  return [p2, s2];
}
