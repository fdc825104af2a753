// Linear: x @ weight + bias, where x may be a dense tensor or a SparseMatrix (the bag-of-words features).
import * as tf from '@tensorflow/tfjs-core';
import { matMul, spmm, SparseMatrix } from '../ops/index.js';
import { glorotUniform } from './init.js';

/** Node features or hidden states: dense on the device, or sparse (Cora's features are 98.7% zeros). */
export type Features = tf.Tensor2D | SparseMatrix;

// tfjs variable names are global: a process may hold several models.
let instances = 0;

export class Linear {
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1> | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias: boolean,
    seed: number,
    name: string,
  ) {
    name = `${name}#${instances++}`;
    // tidy frees the initial values: a variable keeps its own reference to the same memory.
    this.weight = tf.tidy(() =>
      tf.variable(tf.tensor2d(glorotUniform(inFeatures, outFeatures, seed), [inFeatures, outFeatures]), true, `${name}.weight`),
    );
    this.bias = bias ? tf.tidy(() => tf.variable(tf.zeros<tf.Rank.R1>([outFeatures]), true, `${name}.bias`)) : null;
  }

  apply(x: Features): tf.Tensor2D {
    const bias = this.bias ?? undefined;
    return x instanceof SparseMatrix ? spmm(x, this.weight, bias) : matMul(x, this.weight, { bias });
  }

  parameters(): tf.Variable[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}
