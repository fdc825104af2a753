// The SIMD kernels instantiated on a memory (tfjs-wasm's heap, a host epoch's own memory, or a shared one that threads
// work on), and how an output width is split into strips.
import { SIMD_WASM_BASE64, SHARED_SIMD_WASM_BASE64 } from './module-bytes.js';
import type { StripWidth } from './wat.js';

type I = number;
/** The exports of the kernels module; every pointer is a byte address in the shared memory, 0 = no bias. */
export interface SimdExports {
  [name: `spmm${number}`]: (rows: I, rowPtr: I, colIndex: I, values: I, b: I, ldb: I, bias: I, out: I, ldo: I, o0: I, olast: I) => void;
  /** `list`: byte address of `rows` row indices, or 0 for rows 0 to rows - 1. */
  [name: `spmm_scatter${number}`]: (rows: I, list: I, rowPtr: I, colIndex: I, values: I, b: I, ldb: I, out: I, ldo: I, o0: I, olast: I) => void;
  [name: `gemm_nn${number}`]: (m: I, k: I, a: I, lda: I, b: I, ldb: I, bias: I, out: I, ldo: I, o0: I, olast: I) => void;
  [name: `gemm_tn${number}`]: (m: I, k: I, a: I, lda: I, b: I, ldb: I, bias: I, out: I, ldo: I, o0: I, olast: I, skip: I, list: I) => void;
  /** `list`: byte address of `m` row indices (rows of a and of out), or 0 (or left out) for rows 0 to m - 1. */
  [name: `gemm_nn_all${number}`]: (m: I, k: I, a: I, lda: I, b: I, ldb: I, bias: I, out: I, ldo: I, o0: I, olast: I, list?: I) => void;
  [name: `gemm_tn_all${number}`]: (m: I, k: I, a: I, lda: I, b: I, ldb: I, bias: I, out: I, ldo: I, o0: I, olast: I) => void;
  /** `first`: the index of x's first element in the whole array (the dropout mask is drawn per index). */
  relu_dropout(n4: I, x: I, out: I, seed: I, threshold: I, scale: number, first: I): void;
  relu_dropout_grad(n4: I, dy: I, y: I, out: I, scale: number): void;
  adam(n4: I, p: I, g: I, m: I, v: I, d: number, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number): void;
}

/** Vectors of one strip: their byte offsets within a row, and (gemm_tn) how many lanes of the last one to drop. */
export interface Strip {
  width: StripWidth;
  offsets: number[];
  /** What the kernels take: the first vector's offset, and the last one's from the first (see wat.ts). */
  place: [number, number];
  skip: number;
}

let supported: boolean | null = null;
const modules: { ordinary?: WebAssembly.Module; shared?: WebAssembly.Module } = {};
const instances = new WeakMap<WebAssembly.Memory, SimdExports>();

const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Whether this engine runs WebAssembly SIMD (every current Node and browser does): whether the kernels compile. */
export function simdSupported(): boolean {
  if (supported === null) {
    try {
      simdModule(false);
      supported = true;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** The compiled kernels for an ordinary memory, or for a shared one (which threads instantiate on their side). */
export function simdModule(shared: boolean): WebAssembly.Module {
  return shared
    ? (modules.shared ??= new WebAssembly.Module(decode(SHARED_SIMD_WASM_BASE64)))
    : (modules.ordinary ??= new WebAssembly.Module(decode(SIMD_WASM_BASE64)));
}

/** The kernels working on `memory` (ordinary or shared), instantiated once per memory; null where SIMD is unavailable. */
export function simdOn(memory: WebAssembly.Memory): SimdExports | null {
  if (!simdSupported()) return null;
  let exports = instances.get(memory);
  if (!exports) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(simdModule(shared), { env: { memory } });
    exports = instance.exports as unknown as SimdExports;
    instances.set(memory, exports);
  }
  return exports;
}

const plans = new Map<number, Strip[]>();

/**
 * The strips covering `width` columns (width >= 4): vectors at 0, 4, 8, ... and the last at width - 4, grouped four,
 * then two, then one to a strip. Only the last vector may overlap the one before it, by `skip` lanes.
 */
export function stripsFor(width: number): Strip[] {
  let plan = plans.get(width);
  if (!plan) {
    const count = Math.ceil(width / 4);
    const offsets = Array.from({ length: count }, (_, j) => 4 * (j === count - 1 ? width - 4 : 4 * j));
    plan = [];
    for (let start = 0; start < count; ) {
      const left = count - start;
      const w: StripWidth = left >= 4 ? 4 : left >= 2 ? 2 : 1;
      const mine = offsets.slice(start, start + w);
      plan.push({ width: w, offsets: mine, place: [mine[0], mine[w - 1] - mine[0]], skip: start + w === count ? 4 * count - width : 0 });
      start += w;
    }
    plans.set(width, plan);
  }
  return plan;
}
