// The epoch shape: what a whole-epoch engine (host or webgpu) is told about the GCN it trains, and the flat order of
// its parameters. Built by train/ from the model the user wrote; every engine reads this one description.
// It imports only errors and sparse (leaves), so the engines below it (ops/host, ops/webgpu) read it without
// pointing back up.
import { ShapeError } from '../errors.js';
import type { CsrMatrix } from '../sparse/index.js';

/** How a matrix reaches the engine: CSR (row pointers, column indices, values) or dense row-major. */
export type MatrixLayout = 'sparse' | 'dense';

/** One GCN layer: out = A @ (in @ W + b), W `inputs` x `outputs`, b present where `bias`. */
export interface EpochLayer {
  inputs: number;
  outputs: number;
  bias: boolean;
}

export interface EpochShape {
  nodes: number;
  /**
   * The GCN layers in order (at least one): relu and dropout after each but the last, the last gives the logits.
   * layers[0].inputs is the feature count; layers[i].outputs === layers[i + 1].inputs.
   */
  layers: EpochLayer[];
  /** Layout of the node features X (nodes x layers[0].inputs). */
  features: MatrixLayout;
  /** Layout of the normalised adjacency A (nodes x nodes). */
  adjacency: MatrixLayout;
  /** Dropout rate after every hidden layer, in [0, 1). */
  dropout: number;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** The article's L2 term: weightDecay * sqrt(sum of squared parameters) added to the train loss. */
  weightDecay: number;
}

/** The graph's arrays as an engine takes them, each in the layout the shape names. */
export interface EpochGraph {
  /** CSR, or the dense nodes x features matrix (row-major). */
  features: CsrMatrix | Float32Array;
  /**
   * CSR, or the dense nodes x nodes matrix (row-major). Where the shape says dense, a CsrMatrix stands for the dense
   * matrix of its entries (zeros elsewhere): the webgpu engine reads it as CSR where few are non-zero, and both engines
   * make its dense rows otherwise, so a caller holding the CSR need not build them.
   */
  adjacency: CsrMatrix | Float32Array;
  labels: Int32Array;
  trainMask: Uint8Array;
  valMask: Uint8Array;
}

/** Where one layer's parameters sit in the flat parameter array: W (row-major) then b. */
export interface ParameterSlot {
  weight: number;
  /** Offset of b, or null for a layer without bias. */
  bias: number | null;
}

/**
 * The flat parameter order every engine reads and writes, the model's own (GCN.parameters()): for each layer in
 * turn its weight, then its bias where it has one.
 */
export function parameterSlots(layers: readonly EpochLayer[]): { slots: ParameterSlot[]; count: number } {
  let at = 0;
  const slots = layers.map((l) => {
    const weight = at;
    at += l.inputs * l.outputs;
    const bias = l.bias ? at : null;
    if (l.bias) at += l.outputs;
    return { weight, bias };
  });
  return { slots, count: at };
}

/** Classes: the last layer's outputs. */
export function classesOf(shape: Pick<EpochShape, 'layers'>): number {
  return shape.layers[shape.layers.length - 1].outputs;
}

/** Hidden layers (those followed by relu and dropout): all but the last. An epoch takes one dropout seed for each. */
export function hiddenLayerCount(shape: Pick<EpochShape, 'layers'>): number {
  return shape.layers.length - 1;
}

/**
 * One epoch's numbers, as the tape's epoch-metrics kernel gives them: the train loss with the L2 term, the validation
 * loss and the validation accuracy, all of the parameters before the epoch's Adam step.
 */
export type EpochMetrics = [trainLoss: number, valLoss: number, valAccuracy: number];

/**
 * The dropout seeds of one epoch, one per hidden layer: hidden layer i's mask is drawn from seeds[i] (the model's
 * mixSeed(callSeed, i), as GCN.apply draws it), element j kept where hashAt(seeds[i], j) >= dropoutThreshold(dropout) (ops/random.ts).
 */
export type DropoutSeeds = readonly number[];

/** Throws ShapeError where the layers do not chain (an engine would read past its arrays). */
export function checkEpochShape(shape: Pick<EpochShape, 'layers'>): void {
  const widths = shape.layers.map((l) => `${l.inputs}x${l.outputs}`).join(', ');
  if (shape.layers.length === 0) throw new ShapeError('the epoch shape', 'at least one layer', 'no layers');
  shape.layers.forEach((l, i) => {
    if (!(Number.isInteger(l.inputs) && l.inputs > 0 && Number.isInteger(l.outputs) && l.outputs > 0)) {
      throw new ShapeError(`epoch layer ${i}`, 'positive integer widths', `${l.inputs}x${l.outputs}`);
    }
    if (i > 0 && shape.layers[i - 1].outputs !== l.inputs) {
      throw new ShapeError(`epoch layers (${widths})`, `layer ${i} taking ${shape.layers[i - 1].outputs} inputs`, `${l.inputs}`);
    }
  });
}
