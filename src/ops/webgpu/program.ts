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

/** The counter-based hash of host/random.ts, in WGSL: the same bits on every backend. */
export const UNIFORM_AT_WGSL = `
  fn gcnUniformAt(seed : u32, index : u32) -> f32 {
    var x = (index * 0x9e3779b1u) ^ seed;
    x = x ^ (x >> 16u);
    x = x * 0x7feb352du;
    x = x ^ (x >> 15u);
    x = x * 0x846ca68bu;
    x = x ^ (x >> 16u);
    return f32(x >> 8u) / 16777216.0;
  }`;

/** Sums `value` over a 256-thread workgroup into `into[0]` (call from uniform control flow). */
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
