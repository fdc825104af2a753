// Sums the rows of a matrix on the host (a bias's gradient).

import type { HostIO, Inputs } from './io.js';

export function columnSum(io: HostIO, inputs: Inputs) {
  const { x } = inputs;
  const [m, n] = x.shape;
  const out = io.alloc([n], 'float32');
  const [xv, o] = io.views([x, out]) as Float32Array[];
  columnSums(xv, m, n, o);
  return out;
}

/** out[j] = sum over the rows of x (rows x cols, row-major) of x[i, j]. */
export function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[j] += x[row + j];
  }
}
