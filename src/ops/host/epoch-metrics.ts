// The numbers an epoch reports (train loss with the L2 term, validation loss and accuracy), in one host pass.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { EpochMetricsAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';
import { crossEntropy, softmaxRow } from './softmax-row.js';

export function epochMetrics(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { weightDecay } = attrs as unknown as EpochMetricsAttrs;
  const { logits, labels, trainMask, valMask, sumSquares } = inputs;
  const [n, c] = logits.shape;
  const out = io.alloc([3], 'float32');
  const [z, y, tw, vw, ss, o] = io.views([logits, labels, trainMask, valMask, sumSquares, out]);
  let train = 0;
  let trainWeight = 0;
  let val = 0;
  let valWeight = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (tw[i] === 0 && vw[i] === 0) continue;
    const row = i * c;
    const s = softmaxRow(z, row, c);
    const ce = crossEntropy(z, row, y[i], s);
    train += tw[i] * ce;
    trainWeight += tw[i];
    val += vw[i] * ce;
    valWeight += vw[i];
    if (s.best === y[i]) hits += vw[i];
  }
  o[0] = (trainWeight === 0 ? 0 : train / trainWeight) + weightDecay * Math.sqrt(ss[0]);
  o[1] = valWeight === 0 ? 0 : val / valWeight;
  o[2] = valWeight === 0 ? 0 : hits / valWeight;
  return out;
}
