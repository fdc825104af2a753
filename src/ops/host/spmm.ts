// Sparse (CSR) x dense on the host: each row of the output gathers the rows of b its non-zeros point at.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { SpmmAttrs } from '../op-names.js';
import type { HostIO, Inputs } from './io.js';
import { spmmSimd } from './simd.js';

export function spmm(io: HostIO, inputs: Inputs, attrs: NamedAttrMap) {
  const { rows } = attrs as unknown as SpmmAttrs;
  const { rowPtr, colIndex, values, b, bias } = inputs;
  const k = b.shape[1];
  const out = io.alloc([rows, k], 'float32');
  const [ptr, col, val, dense, o, bi] = io.views(bias ? [rowPtr, colIndex, values, b, out, bias] : [rowPtr, colIndex, values, b, out]);
  if (io.simd && k >= 4) {
    spmmSimd(io.simd, rows, k, [rowPtr, colIndex, values], b, bias, out);
    return out;
  }
  spmmRows(rows, k, ptr as Int32Array, col as Int32Array, val as Float32Array, dense as Float32Array, (bi as Float32Array) ?? null, o as Float32Array);
  return out;
}

type RowsKernel = (
  rows: number,
  rowPtr: Int32Array,
  colIndex: Int32Array,
  values: Float32Array,
  b: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
) => void;

const unrolled = new Map<number, RowsKernel>();

/**
 * Narrow outputs (a GCN's hidden and class dimensions) get a loop unrolled over the output columns, generated
 * once per width: the accumulators then live in registers instead of being stored back per non-zero.
 */
function unrolledFor(k: number): RowsKernel {
  let fn = unrolled.get(k);
  if (!fn) {
    const js: string[] = [];
    const cols = Array.from({ length: k }, (_, j) => j);
    js.push('for (let i = 0; i < rows; i++) {');
    js.push(cols.map((j) => `let s${j} = bias === null ? 0 : bias[${j}];`).join(' '));
    js.push('const end = rowPtr[i + 1];');
    js.push('for (let p = rowPtr[i]; p < end; p++) {');
    js.push('const v = values[p]; const c = colIndex[p] * ' + k + ';');
    js.push(cols.map((j) => `s${j} += v * b[c + ${j}];`).join(' '));
    js.push('}');
    js.push('const o = i * ' + k + ';');
    js.push(cols.map((j) => `out[o + ${j}] = s${j};`).join(' '));
    js.push('}');
    fn = new Function('rows', 'rowPtr', 'colIndex', 'values', 'b', 'bias', 'out', js.join('\n')) as RowsKernel;
    unrolled.set(k, fn);
  }
  return fn;
}

export function spmmRows(
  rows: number,
  k: number,
  rowPtr: Int32Array,
  colIndex: Int32Array,
  values: Float32Array,
  b: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  if (k <= 32) {
    unrolledFor(k)(rows, rowPtr, colIndex, values, b, bias, out);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    for (let j = 0; j < k; j++) out[o + j] = bias === null ? 0 : bias[j];
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const v = values[p];
      const c = colIndex[p] * k;
      for (let j = 0; j < k; j++) out[o + j] += v * b[c + j];
    }
  }
}
