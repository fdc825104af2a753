// Sums the rows of a matrix on the host (a bias's gradient).

import type { HostIO, Inputs } from './io.js';

export function columnSum(io: HostIO, inputs: Inputs) {
  const { x } = inputs;
  const [m, n] = x.shape;
  const out = io.alloc([n], 'float32');
  const [xv, o] = io.views([x, out]) as Float32Array[];
  o.fill(0);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) o[j] += xv[row + j];
  }
  return out;
}
