// One fused Adam step on the host, with the gradient of the weight-decay term folded in.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { AdamAttrs } from '../kernel-names.js';
import type { HostIO, Inputs } from './io.js';

export function adam(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { lr, beta1, beta2, epsilon, step } = attrs as unknown as AdamAttrs;
  const { param, grad, m, v, decay } = inputs;
  const p2 = io.alloc(param.shape, 'float32');
  const m2 = io.alloc(param.shape, 'float32');
  const v2 = io.alloc(param.shape, 'float32');
  const [p, g, mv, vv, dv, po, mo, vo] = io.views([param, grad, m, v, decay, p2, m2, v2]) as Float32Array[];
  const d = dv[0];
  const c1 = 1 / (1 - beta1 ** step);
  const c2 = 1 / (1 - beta2 ** step);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + d * p[i];
    const mi = beta1 * mv[i] + (1 - beta1) * gi;
    const vi = beta2 * vv[i] + (1 - beta2) * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    po[i] = p[i] - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
  }
  return [p2, m2, v2];
}
