// Dense x dense on the host, skipping the zeros of `a`: a GCN multiplies a mostly-zero adjacency or feature matrix.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { MatMulAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';
import { gemmSimd, gemmTransposedSimd } from './simd.js';

export function matMul(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  const { a, b, bias } = inputs;
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const out = io.alloc([m, n], 'float32');
  const [av, bv, o, bi] = io.views(bias ? [a, b, out, bias] : [a, b, out]) as Float32Array[];
  if (io.simd && n >= 4 && !transposeB) {
    if (transposeA) gemmTransposedSimd(io.simd, m, k, n, a, b, bias, out);
    else gemmSimd(io.simd, m, k, n, a, b, bias, out);
  } else {
    denseProduct(m, k, n, transposeA, transposeB, av, bv, bi ?? null, o);
  }
  return out;
}

/** out (m x n) = op(a) @ op(b) (+ bias) with JavaScript kernels: the narrow shapes of a GCN get generated ones. */
export function denseProduct(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  if (!transposeA && !transposeB) {
    if (n <= 32) rowsNarrow(n)(m, k, a, b, bias, out);
    else rowsWide(m, k, n, a, b, bias, out);
  } else if (transposeA && !transposeB) {
    if (n <= 32) scatterNarrow(n)(m, k, a, b, bias, out);
    else scatterWide(m, k, n, a, b, bias, out);
  } else if (!transposeA && transposeB && k <= 32) {
    // Here out is m x n and the contraction k is narrow: the generated kernel calls them m, k(out) and c.
    transposedBNarrow(k)(m, n, a, b, bias, out);
  } else {
    general(m, k, n, transposeA, transposeB, a, b, bias, out);
  }
}

type Kernel = (m: number, k: number, a: Float32Array, b: Float32Array, bias: Float32Array | null, out: Float32Array) => void;

const narrowRows = new Map<number, Kernel>();
const narrowScatter = new Map<number, Kernel>();
const narrowTransposedB = new Map<number, Kernel>();

/**
 * Code that visits every non-zero a[row + p], p < len, running `body` (which sees v and p) on each. Where the row
 * is 8-byte aligned it tests eight floats at a time through a Float64Array view (two zero floats are a zero
 * double; a -0 pair reads as zero too, harmlessly), which halves the reads of a mostly-zero dense matrix.
 */
function visitNonZeros(row: string, len: string, body: string): string {
  return `
    if (a64 !== null && (${row} & 1) === 0) {
      const h0 = ${row} >> 1;
      const hEnd = h0 + (${len} >> 1);
      let h = h0;
      for (; h + 4 <= hEnd; h += 4) {
        if (a64[h] !== 0 || a64[h + 1] !== 0 || a64[h + 2] !== 0 || a64[h + 3] !== 0) {
          const pEnd = 2 * (h - h0) + 8;
          for (let p = 2 * (h - h0); p < pEnd; p++) { const v = a[${row} + p]; if (v !== 0) { ${body} } }
        }
      }
      for (let p = 2 * (h - h0); p < ${len}; p++) { const v = a[${row} + p]; if (v !== 0) { ${body} } }
    } else {
      for (let p = 0; p < ${len}; p++) { const v = a[${row} + p]; if (v !== 0) { ${body} } }
    }`;
}

const A64 = 'const a64 = a.byteOffset % 8 === 0 ? new Float64Array(a.buffer, a.byteOffset, a.length >> 1) : null;';

/** out = a @ b for n <= 32: the row's accumulators stay in registers, generated once per width. */
function rowsNarrow(n: number): Kernel {
  let fn = narrowRows.get(n);
  if (!fn) {
    const cols = Array.from({ length: n }, (_, j) => j);
    fn = new Function(
      'm', 'k', 'a', 'b', 'bias', 'out',
      `${A64}
      for (let i = 0; i < m; i++) {
        ${cols.map((j) => `let s${j} = bias === null ? 0 : bias[${j}];`).join(' ')}
        const row = i * k;
        ${visitNonZeros('row', 'k', `const c = p * ${n}; ${cols.map((j) => `s${j} += v * b[c + ${j}];`).join(' ')}`)}
        const o = i * ${n};
        ${cols.map((j) => `out[o + ${j}] = s${j};`).join(' ')}
      }`,
    ) as Kernel;
    narrowRows.set(n, fn);
  }
  return fn;
}

/** out = a^T @ b for n <= 32, with a stored k x m: each row p of a scatters b's row p (held in registers). */
function scatterNarrow(n: number): Kernel {
  let fn = narrowScatter.get(n);
  if (!fn) {
    const cols = Array.from({ length: n }, (_, j) => j);
    fn = new Function(
      'm', 'k', 'a', 'b', 'bias', 'out',
      `${A64}
      for (let i = 0; i < m; i++) {
        const o = i * ${n};
        ${cols.map((j) => `out[o + ${j}] = bias === null ? 0 : bias[${j}];`).join(' ')}
      }
      for (let q = 0; q < k; q++) {
        const c = q * ${n};
        ${cols.map((j) => `const b${j} = b[c + ${j}];`).join(' ')}
        const row = q * m;
        ${visitNonZeros('row', 'm', `const o = p * ${n}; ${cols.map((j) => `out[o + ${j}] += v * b${j};`).join(' ')}`)}
      }`,
    ) as Kernel;
    narrowScatter.set(n, fn);
  }
  return fn;
}

/**
 * out = a @ b^T for a contraction of width c <= 32 (a is m x c, b is k x c): a's row waits in registers while
 * every row of b passes. This is dy @ W^T, the gradient wrt a layer's input.
 */
export function transposedBNarrow(c: number): Kernel {
  let fn = narrowTransposedB.get(c);
  if (!fn) {
    const js = Array.from({ length: c }, (_, j) => j);
    fn = new Function(
      'm', 'k', 'a', 'b', 'bias', 'out',
      `for (let i = 0; i < m; i++) {
        const r = i * ${c};
        ${js.map((j) => `const a${j} = a[r + ${j}];`).join(' ')}
        const o = i * k;
        for (let p = 0; p < k; p++) {
          const q = p * ${c};
          out[o + p] = (bias === null ? 0 : bias[p]) + ${js.map((j) => `a${j} * b[q + ${j}]`).join(' + ')};
        }
      }`,
    ) as Kernel;
    narrowTransposedB.set(c, fn);
  }
  return fn;
}

function rowsWide(m: number, k: number, n: number, a: Float32Array, b: Float32Array, bias: Float32Array | null, out: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out[o + j] = bias === null ? 0 : bias[j];
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p];
      if (v === 0) continue;
      const c = p * n;
      for (let j = 0; j < n; j++) out[o + j] += v * b[c + j];
    }
  }
}

function scatterWide(m: number, k: number, n: number, a: Float32Array, b: Float32Array, bias: Float32Array | null, out: Float32Array): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = bias === null ? 0 : bias[j];
  for (let p = 0; p < k; p++) {
    const c = p * n;
    for (let i = 0; i < m; i++) {
      const v = a[p * m + i];
      if (v === 0) continue;
      const o = i * n;
      for (let j = 0; j < n; j++) out[o + j] += v * b[c + j];
    }
  }
}

function general(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  // a[i, p] and b[p, j] through their strides, so one loop serves every transpose.
  const [ai, ap] = transposeA ? [1, m] : [k, 1];
  const [bp, bj] = transposeB ? [1, k] : [n, 1];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias === null ? 0 : bias[j];
      for (let p = 0; p < k; p++) s += a[i * ai + p * ap] * b[p * bp + j * bj];
      out[i * n + j] = s;
    }
  }
}
