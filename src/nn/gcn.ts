// GCNLayer and GCN: the seed article's model (MLX's gcn.py), with its names and structure.
import * as tf from '@tensorflow/tfjs-core';
import { defaultDenseLimitBytes } from '../data/index.js';
import { InvalidOptionError, MemoryLimitError } from '../errors.js';
import { checkOptionNames, type OptionNames } from '../option-names.js';
import { adjacencyMatMul, mixSeed, reluDropout, spmm, SparseMatrix } from '../ops/index.js';
import { layerChain } from './layer-chain.js';
import { Linear, type Features } from './linear.js';

/** The normalised adjacency D^-1/2 (A+I) D^-1/2: a dense tensor (as the article) or sparse. */
export type Adjacency = tf.Tensor2D | SparseMatrix;

/** adj @ x, with either form of adjacency. */
export function propagate(adj: Adjacency, x: tf.Tensor2D): tf.Tensor2D {
  return adj instanceof SparseMatrix ? spmm(adj, x) : adjacencyMatMul(adj, x);
}

/** One graph convolution: a linear map, then every node averages its neighbours (adj @ x). */
export class GCNLayer {
  readonly linear: Linear;

  constructor(inFeatures: number, outFeatures: number, bias = true, seed = 0, name = 'gcn') {
    this.linear = new Linear(inFeatures, outFeatures, bias, seed, name);
  }

  apply(x: Features, adj: Adjacency): tf.Tensor2D {
    return tf.tidy(() => propagate(adj, this.linear.apply(x)));
  }

  parameters(): tf.Variable[] {
    return this.linear.parameters();
  }

  dispose(): void {
    this.linear.dispose();
  }
}

export interface GCNOptions {
  xDim: number;
  hDim: number;
  outDim: number;
  /**
   * Hidden layers, counted as the article's code counts them: layer_sizes = [xDim] + [hDim] * nbLayers + [outDim],
   * so the model has nbLayers + 1 GCN layers. The default 1 is the 2-layer GCN that the article's text, Kipf and
   * the PyTorch peers describe and measure (the article's code defaults to nb_layers=2, i.e. 3 layers).
   */
  nbLayers?: number;
  dropout?: number;
  bias?: boolean;
  /** Seeds the weights and the dropout masks; the same seed gives the same model on every device. */
  seed?: number;
  /** Most bytes the weights may take with their gradients and Adam's two moments. Default: a quarter of this machine's memory. */
  maxBytes?: number;
}

/**
 * The most hidden layers a GCN takes: 1025 GCN layers, past the deepest GCNs studied (DeepGCN's 112); one epoch of
 * that on Cora takes seconds on a CPU, where a million layers took minutes to build and then overflowed the stack.
 */
export const MAX_NB_LAYERS = 1024;

/** Every option the GCN constructor takes (see checkOptionNames). */
const GCN_OPTIONS = { xDim: true, hDim: true, outDim: true, nbLayers: true, dropout: true, bias: true, seed: true, maxBytes: true } satisfies OptionNames<GCNOptions>;

/** float32 weights, their gradients and Adam's first and second moments. */
const BYTES_PER_PARAMETER = 4 * 4;

function parameterCount(xDim: number, hDim: number, outDim: number, nbLayers: number): number {
  const sizes = [xDim, ...Array<number>(nbLayers).fill(hDim), outDim];
  let count = 0;
  for (let i = 0; i + 1 < sizes.length; i++) count += sizes[i] * sizes[i + 1] + sizes[i + 1];
  return count;
}

/** Refuses, before any weight is allocated, a model that would not fit, naming the widest hDim that would. */
function checkFits(xDim: number, hDim: number, outDim: number, nbLayers: number, maxBytes: number | undefined): void {
  const limit = maxBytes ?? defaultDenseLimitBytes();
  if (!(limit > 0)) throw new InvalidOptionError('maxBytes', maxBytes, 'a positive number of bytes');
  const bytes = (h: number) => parameterCount(xDim, h, outDim, nbLayers) * BYTES_PER_PARAMETER;
  if (bytes(hDim) <= limit) return;
  let fits = 0;
  for (let step = 2 ** 30; step >= 1; step /= 2) if (fits + step < hDim && bytes(fits + step) <= limit) fits += step;
  const layers = layerChain([xDim, ...Array<number>(nbLayers).fill(hDim), outDim]);
  throw new MemoryLimitError(
    `a GCN of ${layers} (${parameterCount(xDim, hDim, outDim, nbLayers)} float32 parameters, with gradients and Adam's moments)`,
    bytes(hDim),
    limit,
    fits > 0
      ? `hDim at most ${fits} fits beside xDim ${xDim} and outDim ${outDim}; use a smaller hidden width`
      : `not even hDim 1 fits beside xDim ${xDim}: use fewer input features`,
  );
}

export interface ApplyOptions {
  /** Dropout on (training) or off (evaluation). Default false. */
  training?: boolean;
  /** Seed of this call's dropout masks; by default the model draws a fresh one per call from its own seed. */
  dropoutSeed?: number;
}

export class GCN {
  readonly gcnLayers: GCNLayer[];
  readonly dropout: number;
  readonly seed: number;
  private calls = 0;

  constructor(options: GCNOptions) {
    checkOptionNames('new GCN()', options, GCN_OPTIONS);
    const { xDim, hDim, outDim } = options;
    const nbLayers = options.nbLayers ?? 1;
    for (const [name, value] of Object.entries({ xDim, hDim, outDim })) {
      if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(name, value, 'a positive integer');
    }
    if (!Number.isInteger(nbLayers) || nbLayers < 0 || nbLayers > MAX_NB_LAYERS) throw new InvalidOptionError('nbLayers', nbLayers, `an integer from 0 to ${MAX_NB_LAYERS} (hidden layers; the model has nbLayers + 1 GCN layers)`);
    this.dropout = options.dropout ?? 0.5;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new InvalidOptionError('dropout', this.dropout, 'a number in [0, 1)');
    checkFits(xDim, hDim, outDim, nbLayers, options.maxBytes);
    this.seed = options.seed ?? 0;
    const layerSizes = [xDim, ...Array<number>(nbLayers).fill(hDim), outDim];
    this.gcnLayers = layerSizes
      .slice(0, -1)
      .map((inDim, i) => new GCNLayer(inDim, layerSizes[i + 1], options.bias ?? true, mixSeed(this.seed, i), `gcn.${i}`));
  }

  /** Logits for every node: relu and dropout after each hidden layer, the last layer plain. */
  apply(x: Features, adj: Adjacency, options: ApplyOptions = {}): tf.Tensor2D {
    const training = options.training ?? false;
    const callSeed = options.dropoutSeed ?? this.drawDropoutSeed();
    return tf.tidy(() => {
      let h: Features = x;
      this.gcnLayers.slice(0, -1).forEach((layer, i) => {
        h = reluDropout(layer.apply(h, adj), training ? this.dropout : 0, mixSeed(callSeed, i));
      });
      return this.gcnLayers[this.gcnLayers.length - 1].apply(h, adj);
    });
  }

  /**
   * The dropout seed of one call, drawn from the model's own stream (what apply uses when given none); hidden
   * layer i's mask is then mixSeed(seed, i). Fused training loops draw it here to make the same masks.
   */
  drawDropoutSeed(): number {
    return mixSeed(this.seed, 0x5eed, this.calls++);
  }

  parameters(): tf.Variable[] {
    return this.gcnLayers.flatMap((layer) => layer.parameters());
  }

  dispose(): void {
    for (const layer of this.gcnLayers) layer.dispose();
  }
}
