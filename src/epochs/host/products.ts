// The products a whole host epoch runs, over regions of its one memory: JavaScript kernels (the cpu device) or the
// WebAssembly SIMD kernels (the wasm device), which split the products over every row among threads.
import {
  denseProduct,
  dropoutThreshold,
  reluDropoutGradRange,
  reluDropoutRange,
  runCalls,
  splitCsrRows,
  splitEven,
  spmmRows,
  stripsFor,
  type SimdCall,
  type ThreadTeam,
  type RowRange,
  type SimdExports,
} from '../../ops/index.js';
import { productBTOver, scatterDenseFrom, scatterFrom, type CsrArrays } from './reached-rows.js';

/** A region of the shared memory: its byte address and a view. */
export interface Region {
  ptr: number;
  f32: Float32Array;
  i32: Int32Array;
}

export interface Csr {
  rows: number;
  rowPtr: Region;
  colIndex: Region;
  values: Region;
}

/** The products an epoch needs, over regions; one implementation per code path (HostCodePath). */
export interface Products {
  /** out = A @ b (+ bias), `width` columns. */
  spmm(a: Csr, width: number, b: Region, bias: Region | null, out: Region): void;
  /**
   * out = A^T @ b, given A and its transpose `at`: each code path reads whichever is faster at this size. Gathering
   * rows of `at` is fastest while b fits in cache; past that, scattering A's rows (b read once, in order) wins by up
   * to 8x (10^6 nodes). Both sum in the same order, so the result is the same to the bit.
   */
  spmmT(a: Csr, at: Csr, width: number, b: Region, out: Region): void;
  /**
   * out += a^T @ b where b is non-zero only on the rows listed in `rows` (int32 indices): a's rows scattered. `a` is
   * CSR or a dense square matrix (which may also reset every row of out first).
   */
  scatterFrom(rows: Region, a: Csr | Region, width: number, b: Region, out: Region): void;
  /**
   * out = a @ b (+ bias) for a dense m x k `a`, `width` columns. `mostlyZeros`: a is a dense adjacency, whose zeros
   * are worth a test each; otherwise (a hidden layer) every entry is multiplied (see wat.ts).
   */
  gemm(m: number, k: number, width: number, a: Region, b: Region, bias: Region | null, out: Region, mostlyZeros: boolean): void;
  /**
   * out (m x width) = a^T @ b for `a` stored k x m: a hidden layer, or (`mostlyZeros`) dense features, whose zeros
   * are worth a test each.
   */
  gemmT(m: number, k: number, width: number, a: Region, b: Region, out: Region, mostlyZeros: boolean): void;
  /** out (m x width) = a @ b^T for a m x c, b width x c. */
  gemmBT(m: number, c: number, width: number, a: Region, b: Region, out: Region): void;
  /** The reached rows' small products: out = a[rows]^T @ b[rows] (a m x k), and out[r] = a[r] @ b^T on the rows. */
  gemmTOver(rows: Region, k: number, width: number, a: Region, b: Region, out: Region): void;
  gemmBTOver(rows: Region, c: number, width: number, a: Region, b: Region, out: Region): void;
  reluDropout(n: number, x: Region, out: Region, rate: number, seed: number): void;
  reluDropoutGrad(n: number, dy: Region, y: Region, out: Region, rate: number): void;
}

/** Bytes of b above which A^T @ b scatters A's rows instead of gathering A^T's (measured: JavaScript, SIMD). */
const SCATTER_ABOVE = { javascript: 32 * 2 ** 20, simd: 2 * 2 ** 20 };

export const javascriptProducts: Products = {
  spmm: (a, width, b, bias, out) => spmmRows(a.rows, width, a.rowPtr.i32, a.colIndex.i32, a.values.f32, b.f32, bias?.f32 ?? null, out.f32),
  spmmT(a, at, width, b, out) {
    if (4 * b.f32.length <= SCATTER_ABOVE.javascript) return this.spmm(at, width, b, null, out);
    out.f32.fill(0);
    scatterFrom(null, arrays(a), width, b.f32, out.f32);
  },
  scatterFrom(rows, a, width, b, out) {
    if ('rows' in a) scatterFrom(rows.i32, arrays(a), width, b.f32, out.f32);
    else scatterDenseFrom(rows.i32, a.f32, out.f32.length / width, width, b.f32, out.f32);
  },
  gemm: (m, k, width, a, b, bias, out) => denseProduct(m, k, width, false, false, a.f32, b.f32, bias?.f32 ?? null, out.f32),
  gemmT: (m, k, width, a, b, out) => denseProduct(m, k, width, true, false, a.f32, b.f32, null, out.f32),
  gemmBT: (m, c, width, a, b, out) => denseProduct(m, c, width, false, true, a.f32, b.f32, null, out.f32),
  gemmTOver(rows, k, width, a, b, out) {
    out.f32.fill(0);
    scatterDenseFrom(rows.i32, a.f32, k, width, b.f32, out.f32);
  },
  gemmBTOver: (rows, c, width, a, b, out) => productBTOver(rows.i32, c, width, a.f32, b.f32, out.f32),
  reluDropout: (n, x, out, rate, seed) => reluDropoutRange(x.f32, out.f32, 0, n, rate, seed),
  reluDropoutGrad: (n, dy, y, out, rate) => reluDropoutGradRange(dy.f32, y.f32, out.f32, 0, n, 1 / (1 - rate)),
};

/**
 * Multiply-adds (or elements) below which a product runs on the calling thread alone. Handing out a job costs about
 * 1 us, but the threads then read what the others wrote, which moves between the cores' caches: on the 2-core build
 * machine sharing slowed Cora (0.6 to 1.0 ms/epoch) and 10^4-node graphs, and sped up 10^6 nodes 1.85x.
 */
export const SHARE_FROM = 2 ** 22;

/**
 * The SIMD kernels; widths under 4 and the tails of relu-dropout fall back to JavaScript. With a team, the products
 * over every row (the forward pass, and the full backward's gathers) are split into row ranges, one per thread;
 * the reached rows' products, the scatters and the reductions stay on the calling thread.
 */
export function simdProducts(k: SimdExports, scratch: Region, team: ThreadTeam | null, shareFrom: number): Products {
  /** How many ranges to split `work` multiply-adds into. */
  const partsFor = (work: number) => (team && work >= shareFrom ? team.threads : 1);
  const csrRanges = new WeakMap<Csr, RowRange[]>();
  /** A CSR matrix's rows in `parts` ranges of equal work, found once per matrix. */
  const rangesOf = (a: Csr, parts: number): RowRange[] => {
    if (parts === 1) return [[0, a.rows]];
    let ranges = csrRanges.get(a);
    if (!ranges) csrRanges.set(a, (ranges = splitCsrRows(a.rowPtr.i32, parts)));
    return ranges;
  };
  /** The calls for each range, run on the team (one range a thread) or, for a single range, here. */
  const share = (ranges: RowRange[], callsFor: (start: number, end: number) => SimdCall[]) => {
    if (team && ranges.length > 1) return team.run(ranges.map(([start, end]) => callsFor(start, end)));
    for (const [start, end] of ranges) runCalls(k, callsFor(start, end));
  };
  /** out += A^T @ b by spmm_scatter over A's `count` rows listed at byte address `list` (0: rows 0 to count - 1). */
  const scatter = (count: number, list: number, a: Csr, width: number, b: Region, out: Region) => {
    for (const s of stripsFor(width)) {
      k[`spmm_scatter${s.width}`](count, list, a.rowPtr.ptr, a.colIndex.ptr, a.values.ptr, b.ptr, 4 * width, out.ptr, 4 * width, ...s.place);
    }
  };
  /** b^T for b `rows` x `cols` (a layer's weights, small), in the scratch region. */
  const transposed = (b: Region, rows: number, cols: number): Region => {
    const t = scratch.f32;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = b.f32[i * cols + j];
    return scratch;
  };
  return {
    spmm(a, width, b, bias, out) {
      if (width < 4) return javascriptProducts.spmm(a, width, b, bias, out);
      share(rangesOf(a, partsFor(a.values.f32.length * width)), (start, end) =>
        stripsFor(width).map((s): SimdCall => [
          `spmm${s.width}`, end - start, a.rowPtr.ptr + 4 * start, a.colIndex.ptr, a.values.ptr, b.ptr, 4 * width, bias?.ptr ?? 0,
          out.ptr + 4 * width * start, 4 * width, ...s.place,
        ]),
      );
    },
    spmmT(a, at, width, b, out) {
      // Scattering adds into memory, so its strips must not overlap: widths that are multiples of 4 only.
      if (4 * b.f32.length <= SCATTER_ABOVE.simd || width % 4 !== 0) return this.spmm(at, width, b, null, out);
      out.f32.fill(0);
      scatter(a.rows, 0, a, width, b, out);
    },
    scatterFrom(rows, a, width, b, out) {
      if (width < 4 || ('rows' in a && width % 4 !== 0)) return javascriptProducts.scatterFrom(rows, a, width, b, out);
      // A dense square a: gemm_tn over the listed rows, which resets every row of out first.
      if (!('rows' in a)) return this.gemmTOver(rows, out.f32.length / width, width, a, b, out);
      scatter(rows.i32.length, rows.ptr, a, width, b, out);
    },
    gemm(m, kk, width, a, b, bias, out, mostlyZeros) {
      if (width < 4) return javascriptProducts.gemm(m, kk, width, a, b, bias, out, mostlyZeros);
      const kernel = mostlyZeros ? 'gemm_nn' : 'gemm_nn_all';
      share(splitEven(m, partsFor(m * kk * width)), (start, end) =>
        stripsFor(width).map((s): SimdCall => [
          `${kernel}${s.width}`, end - start, kk, a.ptr + 4 * kk * start, 4 * kk, b.ptr, 4 * width, bias?.ptr ?? 0, out.ptr + 4 * width * start,
          4 * width, ...s.place,
        ]),
      );
    },
    gemmT(m, kk, width, a, b, out, mostlyZeros) {
      if (width < 4) return javascriptProducts.gemmT(m, kk, width, a, b, out, mostlyZeros);
      if (!mostlyZeros) {
        for (const s of stripsFor(width)) k[`gemm_tn_all${s.width}`](kk, m, a.ptr, 4 * m, b.ptr, 4 * width, 0, out.ptr, 4 * width, ...s.place);
        return;
      }
      // gemm_tn skips a's zeros; strips last first, as it needs (src/ops/host/simd.ts).
      for (const s of [...stripsFor(width)].reverse()) {
        k[`gemm_tn${s.width}`](kk, m, a.ptr, 4 * m, b.ptr, 4 * width, 0, out.ptr, 4 * width, ...s.place, s.skip, 0);
      }
    },
    gemmBT(m, c, width, a, b, out) {
      if (width < 4) return javascriptProducts.gemmBT(m, c, width, a, b, out);
      this.gemm(m, c, width, a, transposed(b, width, c), null, out, false);
    },
    gemmTOver(rows, kk, width, a, b, out) {
      if (width < 4) return javascriptProducts.gemmTOver(rows, kk, width, a, b, out);
      // gemm_tn over the listed rows; strips last first, as it needs (src/ops/host/simd.ts).
      for (const s of [...stripsFor(width)].reverse()) {
        k[`gemm_tn${s.width}`](rows.i32.length, kk, a.ptr, 4 * kk, b.ptr, 4 * width, 0, out.ptr, 4 * width, ...s.place, s.skip, rows.ptr);
      }
    },
    gemmBTOver(rows, c, width, a, b, out) {
      if (width < 4) return javascriptProducts.gemmBTOver(rows, c, width, a, b, out);
      const bt = transposed(b, width, c);
      for (const s of stripsFor(width)) {
        k[`gemm_nn_all${s.width}`](rows.i32.length, c, a.ptr, 4 * c, bt.ptr, 4 * width, 0, out.ptr, 4 * width, ...s.place, rows.ptr);
      }
    },
    reluDropout(n, x, out, rate, seed) {
      const n4 = n & ~3;
      share(splitEven(n4, partsFor(n4), 4), (start, end) => [
        ['relu_dropout', end - start, x.ptr + 4 * start, out.ptr + 4 * start, seed | 0, dropoutThreshold(rate), 1 / (1 - rate), start],
      ]);
      reluDropoutRange(x.f32, out.f32, n4, n, rate, seed);
    },
    reluDropoutGrad(n, dy, y, out, rate) {
      const n4 = n & ~3;
      share(splitEven(n4, partsFor(n4), 4), (start, end) => [
        ['relu_dropout_grad', end - start, dy.ptr + 4 * start, y.ptr + 4 * start, out.ptr + 4 * start, 1 / (1 - rate)],
      ]);
      reluDropoutGradRange(dy.f32, y.f32, out.f32, n4, n, 1 / (1 - rate));
    },
  };
}


export function arrays(m: Csr): CsrArrays {
  return { rows: m.rows, rowPtr: m.rowPtr.i32, colIndex: m.colIndex.i32, values: m.values.f32 };
}
