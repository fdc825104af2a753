// Runs one of gcnlab's ops on the current backend's implementation (tfjs's kernel for it), or tells the op to use
// its stock-ops fallback where the backend has none.
import * as tf from '@tensorflow/tfjs-core';

/** Whether the current backend implements gcnlab's op `name` (tfjs-node does not: ops fall back to stock ops). */
export function backendImplements(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

/** Runs op `name` through tfjs's engine (which records it on the tape for its gradient). */
export function dispatch<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: tf.NamedTensorMap | tf.Tensor[], attrs: object = {}): T {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T;
}
