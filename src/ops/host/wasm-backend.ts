// The host ops registered for tfjs-backend-wasm (as its kernels): JavaScript on views of the wasm heap, SIMD where
// an output is wide enough (tfjs-wasm has no sparse kernels and no UnsortedSegmentSum, tensorflow/tfjs#8082).
import type { DataType, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdOn } from '../simd/index.js';
import type { HostArray, HostIO, HostSimd, Inputs } from './io.js';
import { HOST_OPS } from './registry.js';

const simdByBackend = new WeakMap<BackendWasm, HostSimd | null>();

/** The SIMD kernels on this backend's heap (tfjs-wasm exposes its WebAssembly.Memory as wasm.asm.memory). */
function simdFor(backend: BackendWasm): HostSimd | null {
  let simd = simdByBackend.get(backend);
  if (simd === undefined) {
    const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
    const kernels = memory instanceof WebAssembly.Memory ? simdOn(memory) : null;
    simd = kernels && { kernels, address: (t) => backend.dataIdMap.get(t.dataId)!.memoryOffset };
    simdByBackend.set(backend, simd);
  }
  return simd;
}

function wasmIO(backend: BackendWasm): HostIO {
  const simd = simdFor(backend);
  return {
    ...(simd && { simd }),
    alloc(shape: number[], dtype: DataType): TensorInfo {
      return backend.makeOutput(shape, dtype);
    },
    views(tensors: TensorInfo[]): HostArray[] {
      // Touch every tensor first: one that still lives on another backend is moved onto the heap now, and the
      // heap may grow while it is, which detaches views taken earlier.
      for (const t of tensors) backend.dataIdMap.get(t.dataId);
      return tensors.map((t) => backend.typedArrayFromHeap(t) as HostArray);
    },
  };
}

export const wasmKernelConfigs: KernelConfig[] = Object.entries(HOST_OPS).map(([kernelName, kernel]) => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => kernel(wasmIO(backend as BackendWasm), inputs as Inputs, attrs ?? {}),
}));
