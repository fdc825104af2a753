// A WGSL program in tfjs-backend-webgpu's program API: flat dispatch, inputs bound by name, extra uniforms.
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** What a gcnlab kernel needs from tfjs-backend-webgpu's WebGPUBackend (typed here to keep the import lazy). */
export interface WebGPUBackendLike {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: DataType, uniforms?: Uniform[]): TensorInfo;
  disposeData(dataId: object): boolean;
}

export interface Uniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

export interface ProgramSpec {
  /** Names the compiled pipeline, with everything baked into `code` (tfjs appends shapes and dtypes). */
  key: string;
  inputs: string[];
  outputShape: number[];
  /** WGSL declarations of the extra uniforms, e.g. 'k : i32, rate : f32,'. */
  uniforms?: string;
  /** Threads to launch; a multiple of the workgroup size is run, `index < uniforms.size` guards the rest. */
  threads: number;
  workgroupSize?: number;
  /** WGSL: helper functions, then `fn main(index : i32) { ... }`. */
  code: string;
}

export function runProgram(backend: WebGPUBackendLike, spec: ProgramSpec, inputs: TensorInfo[], dtype: DataType = 'float32', uniforms: Uniform[] = []): TensorInfo {
  const workgroupSize = spec.workgroupSize ?? 64;
  const program = {
    outputShape: spec.outputShape,
    shaderKey: `gcnlab_${spec.key}`,
    dispatchLayout: { x: spec.outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(spec.threads / workgroupSize), 1, 1] as [number, number, number],
    variableNames: spec.inputs,
    uniforms: spec.uniforms,
    workgroupSize: [workgroupSize, 1, 1] as [number, number, number],
    size: true,
    getUserCode: () => spec.code,
  };
  // One entry per value: tfjs aligns a multi-value entry as a vector, which would not match scalar fields.
  const flat = uniforms.flatMap((u) => u.data.map((d) => ({ type: u.type, data: [d] })));
  return backend.runWebGPUProgram(program, inputs, dtype, flat);
}

/** A program's one-entry [1] output as the op's scalar result (the same buffer, size 1 either way). */
export function asScalar(out: TensorInfo): TensorInfo {
  return { ...out, shape: [] };
}

/** `reduceAll(t)`: sums each of `arrays` over a 256-thread workgroup into its entry 0 (call from uniform control flow). */
export function workgroupSum(arrays: string[]): string {
  return `
    ${arrays.map((a) => `var<workgroup> ${a} : array<f32, 256>;`).join('\n')}
    fn reduceAll(t : u32) {
      for (var s = 128u; s > 0u; s = s >> 1u) {
        if (t < s) { ${arrays.map((a) => `${a}[t] = ${a}[t] + ${a}[t + s];`).join(' ')} }
        workgroupBarrier();
      }
    }`;
}
