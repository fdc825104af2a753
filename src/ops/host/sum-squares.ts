// Sum of squares over several tensors, and a scale by a device scalar, on the host.
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { ScaleAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';

export function sumSquares(io: HostIO, inputs: Inputs) {
  const tensors = Object.values(inputs) as TensorInfo[];
  const out = io.alloc([], 'float32');
  const views = io.views([...tensors, out]);
  let total = 0;
  for (let t = 0; t < tensors.length; t++) {
    const x = views[t];
    for (let i = 0; i < x.length; i++) total += x[i] * x[i];
  }
  views[tensors.length][0] = total;
  return out;
}

export function scale(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { factor } = attrs as unknown as ScaleAttrs;
  const { x, s } = inputs;
  const out = io.alloc(x.shape, 'float32');
  const [xv, sv, o] = io.views([x, s, out]) as Float32Array[];
  const f = sv[0] * factor;
  for (let i = 0; i < xv.length; i++) o[i] = xv[i] * f;
  return out;
}
