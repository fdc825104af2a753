// What a host op needs from a backend whose tensors live in host memory (tfjs-cpu's arrays, tfjs-wasm's heap).
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { SimdExports } from '../simd/index.js';

export type HostArray = Float32Array | Int32Array | Uint8Array;

export interface HostIO {
  /** A new output tensor; its memory is NOT zeroed (the wasm heap hands out used memory). */
  alloc(shape: number[], dtype: DataType): TensorInfo;
  /**
   * Views on the memory of the given tensors, taken together after every allocation: on wasm a view taken
   * before the heap grows would point at released memory.
   */
  views(tensors: TensorInfo[]): HostArray[];
  /** On the wasm heap: the SIMD kernels and where a tensor lives (byte address); host ops prefer them when there. */
  simd?: HostSimd;
}

export interface HostSimd {
  kernels: SimdExports;
  address(t: TensorInfo): number;
}

/** Inputs by name; the op knows which it was given. */
export type Inputs = Record<string, TensorInfo>;

/** An op's implementation written once for both host backends (each registers it as its tfjs kernel). */
export type HostOp = (io: HostIO, inputs: Inputs, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
