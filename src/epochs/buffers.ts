// The arrays a whole epoch of any GCN works in, and which gradient each holds during the backward pass: one list
// that every engine lays out (the host in its one WebAssembly.Memory; a GPU engine as buffers).
import { classesOf, parameterSlots, type EpochShape } from './shape.js';

/** One array of an epoch: its name and its length in floats. */
export interface EpochBuffer {
  name: string;
  length: number;
}

/**
 * Layer i's activations (n rows of layers[i].outputs floats each). Forward: lin = in @ W + b, prop = A @ lin (the
 * last layer's prop: the logits), hidden = relu-dropout(prop) for every layer but the last (the next one's input).
 */
export const layerBuffer = {
  lin: (i: number) => `lin${i}`,
  prop: (i: number) => `prop${i}`,
  hidden: (i: number) => `hidden${i}`,
};

/**
 * Where layer i's backward writes, given that the gradient wrt its A product arrives in `gradientOf(i)` (the loss's
 * dz for the last layer): the gradient wrt lin, then for i > 0 the gradient wrt the layer's input (the hidden layer
 * below's output) and, through relu-dropout, the gradient wrt the A product below, which is gradientOf(i - 1). Each
 * reuses a forward array that the backward no longer reads, and none is the array it is computed from.
 */
export function backwardBuffers(shape: Pick<EpochShape, 'layers'>, i: number): { dLin: string; dInput: string | null; dBelow: string | null } {
  const top = shape.layers.length - 1;
  return {
    dLin: i === top ? layerBuffer.lin(i) : layerBuffer.prop(i),
    dInput: i === 0 ? null : layerBuffer.prop(i - 1),
    dBelow: i === 0 ? null : gradientOf(shape, i - 1),
  };
}

/** The array holding the gradient wrt layer i's A product during the backward pass. */
export function gradientOf(shape: Pick<EpochShape, 'layers'>, i: number): string {
  return i === shape.layers.length - 1 ? 'dz' : layerBuffer.lin(i);
}

/**
 * Every array an epoch works in besides the graph's: the parameters (the model's flat order: parameterSlots), their
 * gradients and Adam's two moments, the loss's gradient wrt the logits (dz: zero outside the training rows), and each
 * layer's activations.
 */
export function epochBuffers(shape: Pick<EpochShape, 'nodes' | 'layers'>): EpochBuffer[] {
  const { count } = parameterSlots(shape.layers);
  const n = shape.nodes;
  return [
    ...['params', 'grads', 'm', 'v'].map((name) => ({ name, length: count })),
    { name: 'dz', length: n * classesOf(shape) },
    ...shape.layers.flatMap((l, i) => [
      { name: layerBuffer.lin(i), length: n * l.outputs },
      { name: layerBuffer.prop(i), length: n * l.outputs },
      ...(i < shape.layers.length - 1 ? [{ name: layerBuffer.hidden(i), length: n * l.outputs }] : []),
    ]),
  ];
}
