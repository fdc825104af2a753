// One row of logits through a softmax, the piece every host loss and metric kernel shares.

export interface SoftmaxRow {
  /** The arg max (the predicted class). */
  best: number;
  max: number;
  /** The sum of exp(z - max): the softmax is exp(z - max) / sum, the cross-entropy log(sum) + max - z[label]. */
  sum: number;
}

/** The `c` logits of `z` starting at `row`; `exps`, when given, receives each exp(z - max) (in doubles). */
export function softmaxRow(z: ArrayLike<number>, row: number, c: number, exps?: Float64Array): SoftmaxRow {
  let best = 0;
  for (let j = 1; j < c; j++) if (z[row + j] > z[row + best]) best = j;
  const max = z[row + best];
  let sum = 0;
  if (exps) for (let j = 0; j < c; j++) sum += exps[j] = Math.exp(z[row + j] - max);
  else for (let j = 0; j < c; j++) sum += Math.exp(z[row + j] - max);
  return { best, max, sum };
}

/** -log softmax(z)[label] for a row whose softmax is `s`. */
export function crossEntropy(z: ArrayLike<number>, row: number, label: number, s: SoftmaxRow): number {
  return Math.log(s.sum) + s.max - z[row + label];
}
