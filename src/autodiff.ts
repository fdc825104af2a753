// Gradients of TensorFlow.js's stock ops. tfjs-core registers none by itself (gcnlab's own ops carry theirs); the
// full @tensorflow/tfjs package registers them all into the same engine, so tf.grad works on any op afterwards.

import { MissingPackageError } from './errors.js';

let loading: Promise<void> | undefined;

/** Registers the gradient of every stock tfjs op (about 0.3 s, once per process). */
export function enableStockGradients(): Promise<void> {
  loading ??= import('@tensorflow/tfjs').then(
    () => undefined,
    (error: unknown) => {
      loading = undefined;
      // An optional peer of gcnlab (gcnlab-kernel brings it): a library-only install may not have it.
      if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
        throw new MissingPackageError('@tensorflow/tfjs', 'enableStockGradients() (gradients of every stock tfjs op)');
      }
      throw error;
    },
  );
  return loading;
}
