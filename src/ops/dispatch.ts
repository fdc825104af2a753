// Runs one of gcnlab's kernels on the current backend, or tells the op to use its stock-ops fallback.
import * as tf from '@tensorflow/tfjs-core';

/** Whether the current backend has gcnlab's kernel `name` (tfjs-node does not: ops fall back to stock ops). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

export function runKernel<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: tf.NamedTensorMap | tf.Tensor[], attrs: object = {}): T {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T;
}
