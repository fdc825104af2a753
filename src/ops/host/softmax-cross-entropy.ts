// Masked mean softmax cross-entropy, its gradient, and masked accuracy, on the host.

import type { HostIO, Inputs } from './io.js';
import { crossEntropy, softmaxRow } from './softmax-row.js';

export function softmaxCrossEntropy(io: HostIO, inputs: Inputs) {
  const { logits, labels, mask } = inputs;
  const [n, c] = logits.shape;
  const out = io.alloc([], 'float32');
  const [z, y, w, o] = io.views([logits, labels, mask, out]);
  let total = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    const row = i * c;
    total += w[i] * crossEntropy(z, row, y[i], softmaxRow(z, row, c));
    weight += w[i];
  }
  o[0] = weight === 0 ? 0 : total / weight;
  return out;
}

export function softmaxCrossEntropyGrad(io: HostIO, inputs: Inputs) {
  const { logits, labels, mask, dy } = inputs;
  const [n, c] = logits.shape;
  const out = io.alloc([n, c], 'float32');
  const [z, y, w, d, o] = io.views([logits, labels, mask, dy, out]);
  let weight = 0;
  for (let i = 0; i < n; i++) weight += w[i];
  const scale = weight === 0 ? 0 : d[0] / weight;
  const exps = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const row = i * c;
    if (w[i] === 0) {
      for (let j = 0; j < c; j++) o[row + j] = 0;
      continue;
    }
    const s = (scale * w[i]) / softmaxRow(z, row, c, exps).sum;
    for (let j = 0; j < c; j++) o[row + j] = s * exps[j];
    o[row + y[i]] -= scale * w[i];
  }
  return out;
}

export function accuracy(io: HostIO, inputs: Inputs) {
  const { logits, labels, mask } = inputs;
  const [n, c] = logits.shape;
  const out = io.alloc([], 'float32');
  const [z, y, w, o] = io.views([logits, labels, mask, out]);
  let hits = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    const row = i * c;
    let best = 0;
    for (let j = 1; j < c; j++) if (z[row + j] > z[row + best]) best = j;
    if (best === y[i]) hits += w[i];
    weight += w[i];
  }
  o[0] = weight === 0 ? 0 : hits / weight;
  return out;
}
