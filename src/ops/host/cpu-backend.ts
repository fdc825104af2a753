// The host ops registered for tfjs-backend-cpu (as its kernels): they read and write the backend's typed arrays.
import type { DataType, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { allocFloat32, recycleFrom } from './buffer-pool.js';
import { sizeOf, type HostArray, type HostIO, type Inputs } from './io.js';
import { HOST_OPS } from './registry.js';

function cpuIO(backend: MathBackendCPU): HostIO {
  recycleFrom(backend);
  return {
    alloc(shape: number[], dtype: DataType): TensorInfo {
      const size = sizeOf(shape);
      const values = dtype === 'int32' ? new Int32Array(size) : dtype === 'bool' ? new Uint8Array(size) : allocFloat32(size);
      return backend.makeTensorInfo(shape, dtype, values);
    },
    views(tensors: TensorInfo[]): HostArray[] {
      return tensors.map((t) => backend.data.get(t.dataId).values as HostArray);
    },
  };
}

export const cpuKernelConfigs: KernelConfig[] = Object.entries(HOST_OPS).map(([kernelName, kernel]) => ({
  kernelName,
  backendName: 'cpu',
  kernelFunc: ({ inputs, attrs, backend }) => kernel(cpuIO(backend as MathBackendCPU), inputs as Inputs, attrs ?? {}),
}));
