// How the debugger shows a TensorFlow.js tensor: dtype, shape and the device holding it, and its values when small,
// read in the paused main thread by a function the inspector calls on the tensor.

/** Class names of tfjs tensors as V8 reports them. */
export const TENSOR_CLASSES = new Set(['Tensor', 'Variable']);

/** Values shown up to this many elements; a larger tensor shows only its shape. */
export const SMALL_TENSOR = 16;

/**
 * Runs on the tensor (`this`) through Runtime.callFunctionOn; returns e.g. "Tensor float32 [2,2] on cpu [[1,2],[3,4]]",
 * or undefined for an object that only looks like one. The device is the tfjs backend that holds its data (the
 * engine lives on globalThis._tfengine). Reading values of a disposed tensor or from a GPU backend may fail: the
 * summary then goes without them.
 */
export const TENSOR_SUMMARY = `function (small) {
  const t = this;
  if (!t || typeof t.dtype !== 'string' || !Array.isArray(t.shape) || t.dataId === undefined) return undefined;
  const head = t.constructor.name + ' ' + t.dtype + ' [' + t.shape.join(',') + ']';
  if (t.isDisposed) return head + ' (disposed)';
  let device = '';
  try {
    const engine = globalThis._tfengine;
    const backend = engine.state.tensorInfo.get(t.dataId).backend;
    device = Object.keys(engine.registry).find((name) => engine.registry[name] === backend) || '';
  } catch {}
  let values = '';
  if (t.size <= small) {
    try { values = ' ' + JSON.stringify(t.arraySync()); } catch {}
  }
  return head + (device ? ' on ' + device : '') + values;
}`;
