// Whole training epochs of the 2-layer GCN on the host without tfjs's engine: every array laid out once per run in
// one WebAssembly.Memory, each epoch the same sequence as the tape (forward, loss and metrics, backward, the L2 term,
// Adam), through JavaScript kernels (the cpu device) or the WebAssembly SIMD kernels (the wasm device).
import { countMask } from '../../data/masks.js';
import { ThreadsError } from '../../errors.js';
import type { CsrMatrix } from '../../sparse/index.js';
import { simdKernels, simdSupported, stripsFor, type SimdExports } from '../wasm/simd/index.js';
import { splitCsrRows, splitEven, type RowRange } from '../wasm/threads/split.js';
import { KernelTeam, runCalls, threadsUnavailable, type KernelCall } from '../wasm/threads/team.js';
import { adamConstants, adamRange } from './adam.js';
import { columnSums } from './column-sum.js';
import { denseProduct } from './mat-mul.js';
import {
  chooseBackwardRows,
  columnSumsOver,
  productBTOver,
  reluDropoutGradOver,
  rowsWhere,
  scatterDenseFrom,
  scatterFrom,
  zeroRows,
  type BackwardRows,
  type CsrArrays,
} from './reached-rows.js';
import { reluDropoutGradRange, reluDropoutRange } from './relu-dropout.js';
import { crossEntropy, softmaxRow } from './softmax-row.js';
import { spmmRows } from './spmm.js';

export interface HostEpochShape {
  nodes: number;
  features: number;
  hidden: number;
  classes: number;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  dropout: number;
}

export interface HostEpochGraph {
  features: CsrMatrix;
  /** CSR, or the dense nodes x nodes matrix (row-major). */
  adjacency: CsrMatrix | Float32Array;
  labels: Int32Array;
  trainMask: Uint8Array;
  valMask: Uint8Array;
}

/** A region of the shared memory: its byte address and a view. */
interface Region {
  ptr: number;
  f32: Float32Array;
  i32: Int32Array;
}

interface Csr {
  rows: number;
  rowPtr: Region;
  colIndex: Region;
  values: Region;
}

/** The products an epoch needs, over regions; one implementation per kernel set. */
interface Products {
  /** out = A @ b (+ bias), `width` columns. */
  spmm(a: Csr, width: number, b: Region, bias: Region | null, out: Region): void;
  /**
   * out = A^T @ b, given A and its transpose `at`: each kernel set reads whichever is faster at this size. Gathering
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
  /** out (m x width) = a^T @ b for `a` stored k x m, a hidden layer. */
  gemmT(m: number, k: number, width: number, a: Region, b: Region, out: Region): void;
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

const javascriptProducts: Products = {
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
function simdProducts(k: SimdExports, scratch: Region, team: KernelTeam | null, shareFrom: number): Products {
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
  const share = (ranges: RowRange[], callsFor: (start: number, end: number) => KernelCall[]) => {
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
        stripsFor(width).map((s): KernelCall => [
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
        stripsFor(width).map((s): KernelCall => [
          `${kernel}${s.width}`, end - start, kk, a.ptr + 4 * kk * start, 4 * kk, b.ptr, 4 * width, bias?.ptr ?? 0, out.ptr + 4 * width * start,
          4 * width, ...s.place,
        ]),
      );
    },
    gemmT(m, kk, width, a, b, out) {
      if (width < 4) return javascriptProducts.gemmT(m, kk, width, a, b, out);
      for (const s of stripsFor(width)) k[`gemm_tn_all${s.width}`](kk, m, a.ptr, 4 * m, b.ptr, 4 * width, 0, out.ptr, 4 * width, ...s.place);
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
      const threshold = rate === 0 ? 0 : Math.ceil(rate * 2 ** 24);
      share(splitEven(n4, partsFor(n4), 4), (start, end) => [
        ['relu_dropout', end - start, x.ptr + 4 * start, out.ptr + 4 * start, seed | 0, threshold, 1 / (1 - rate), start],
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

export type HostKernelSet = 'javascript' | 'simd';
export type { BackwardRows };

export interface HostEpochOptions {
  /** Which rows the backward pass computes (default 'auto': see reached-rows.ts). */
  backwardRows?: BackwardRows;
  /**
   * Threads for the SIMD kernels (default 1): above 1, the memory is a shared one and the products over every row are
   * split among that many threads (wasm/threads), where the graph has a product worth splitting (`shareFrom`). Where
   * threads cannot start, one thread runs everything (with a warning).
   */
  threads?: number;
  /** Multiply-adds from which a product is split among the threads (default SHARE_FROM). */
  shareFrom?: number;
}

/** Teams of host epochs that were never disposed are released when the epochs are collected. */
const unreleased = new FinalizationRegistry<KernelTeam>((team) => team.release());

export class HostEpochs {
  readonly parameterCount: number;
  private readonly memory: WebAssembly.Memory;
  private next = 16;
  private readonly products: Products;
  private readonly r: Record<string, Region> = {};
  private readonly x: Csr;
  /** X^T and A^T: null where the backward scatters X's and A's rows instead (reached rows). */
  private readonly xt: Csr | null;
  private readonly a: Csr | Region;
  private readonly at: Csr | Region | null;
  private readonly labels: Int32Array;
  private readonly trainMask: Uint8Array;
  private readonly valMask: Uint8Array;
  private readonly trainWeight: number;
  private readonly valWeight: number;
  private readonly simdKernels: SimdExports | null;
  private readonly team: KernelTeam | null;
  /** One row's exponentials, in doubles as the tape's kernels compute them. */
  private readonly exps: Float64Array;
  /** The rows the loss and the metrics read: training or validation. */
  private readonly lossRows: Int32Array;
  /** Set when the backward pass computes only the rows the training rows reach: the row lists. */
  private readonly reached: { train: Region; first: Region; second: Region } | null;

  /** Lays out the graph and the parameters (W1, b1, W2, b2 flattened) in one memory. */
  constructor(
    private readonly shape: HostEpochShape,
    graph: HostEpochGraph,
    parameters: Float32Array,
    kernels: HostKernelSet,
    options: HostEpochOptions = {},
  ) {
    const { nodes: n, features: f, hidden: h, classes: c } = shape;
    this.parameterCount = f * h + h + h * c + c;
    if (parameters.length !== this.parameterCount) {
      throw new Error(`gcnlab host epochs: ${parameters.length} parameters given, the model has ${this.parameterCount}`);
    }
    const dense = graph.adjacency instanceof Float32Array ? graph.adjacency : null;
    const simdWanted = kernels === 'simd' && simdSupported();
    const reached = chooseBackwardRows(options.backwardRows ?? 'auto', dense ?? (graph.adjacency as CsrMatrix), graph.features, graph.trainMask, shape, simdWanted);
    // The full backward reads the transposes; the reached rows' backward scatters A's and X's own rows instead.
    const xt = reached ? null : graph.features.transpose();
    const at = reached ? null : dense ? transposeDense(dense, n) : (graph.adjacency as CsrMatrix).transpose();
    const csrBytes = (m: CsrMatrix | null) => (m ? 4 * (m.rows + 1 + 2 * m.nnz) + 48 : 0);
    const adjacencyBytes = dense ? 4 * dense.length * (at ? 2 : 1) + 32 : csrBytes(graph.adjacency as CsrMatrix) + csrBytes(at as CsrMatrix | null);
    const listBytes = reached ? 4 * (reached.train.length + reached.first.length + reached.second.length) + 48 : 0;
    const bytes = 16 + csrBytes(graph.features) + csrBytes(xt) + adjacencyBytes + listBytes + 4 * (4 * this.parameterCount + 4 * n * (h + c) + h * c) + 4096;
    const pages = Math.ceil(bytes / 65536) + 1;
    const shareFrom = options.shareFrom ?? SHARE_FROM;
    const widest = Math.max(graph.features.nnz * h, (dense ? n * n : (graph.adjacency as CsrMatrix).nnz) * h, n * h * c);
    const threaded = simdWanted && (options.threads ?? 1) > 1 && widest >= shareFrom && threadsUnavailable() === null;
    this.memory = new WebAssembly.Memory(threaded ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    const csr = (m: CsrMatrix): Csr => ({ rows: m.rows, rowPtr: this.region(m.rowPtr), colIndex: this.region(m.colIndex), values: this.region(m.values) });
    this.x = csr(graph.features);
    this.xt = xt ? csr(xt) : null;
    if (dense) {
      this.a = this.region(dense);
      // A symmetric dense A is its own transpose; the reached rows' backward reads no transpose at all.
      this.at = reached ? null : at ? this.region(at as Float32Array) : this.a;
    } else {
      this.a = csr(graph.adjacency as CsrMatrix);
      this.at = at ? csr(at as CsrMatrix) : null;
    }
    this.reached = reached && { train: this.region(reached.train), first: this.region(reached.first), second: this.region(reached.second) };
    const p = this.parameterCount;
    this.r.params = this.region(parameters);
    this.r.grads = this.region(p);
    this.r.m = this.region(p);
    this.r.v = this.region(p);
    for (const [name, width] of [['xw', h], ['hd', h], ['dh', h], ['dxw', h], ['hw', c], ['z', c], ['dz', c], ['dhw', c]] as const) {
      this.r[name] = this.region(n * width);
    }
    this.r.scratch = this.region(h * c);
    // Views of the parameters and their gradients, as the products see them.
    const sub = (name: string, at: number, length: number): Region => ({
      ptr: this.r[name].ptr + 4 * at,
      f32: this.r[name].f32.subarray(at, at + length),
      i32: this.r[name].i32.subarray(at, at + length),
    });
    const [ow1, ob1, ow2, ob2] = [0, f * h, f * h + h, f * h + h + h * c];
    Object.assign(this.r, {
      w1: sub('params', ow1, f * h), b1: sub('params', ob1, h), w2: sub('params', ow2, h * c), b2: sub('params', ob2, c),
      dw1: sub('grads', ow1, f * h), db1: sub('grads', ob1, h), dw2: sub('grads', ow2, h * c), db2: sub('grads', ob2, c),
    });
    this.labels = graph.labels;
    this.trainMask = graph.trainMask;
    this.valMask = graph.valMask;
    this.lossRows = rowsWhere(graph.trainMask, graph.valMask);
    this.trainWeight = countMask(graph.trainMask);
    this.valWeight = countMask(graph.valMask);
    const simd = kernels === 'simd' ? simdKernels(this.memory) : null;
    this.team = simd && threaded ? startTeam(this.memory, options.threads!) : null;
    if (this.team) unreleased.register(this, this.team, this);
    this.products = simd ? simdProducts(simd, this.r.scratch, this.team, shareFrom) : javascriptProducts;
    this.simdKernels = simd;
    this.exps = new Float64Array(c);
  }

  /** Whether the SIMD kernels run (false: JavaScript, by request or where the engine lacks SIMD). */
  get simd(): boolean {
    return this.products !== javascriptProducts;
  }

  /** How many threads the products run on: 1 where no product is worth splitting. */
  get threads(): number {
    return this.team?.threads ?? 1;
  }

  /** Products run on more than one thread so far. */
  get sharedJobs(): number {
    return this.team?.jobs ?? 0;
  }

  /** Stops the helper threads from holding this run's memory. The epochs cannot run after it. */
  dispose(): void {
    if (!this.team) return;
    unreleased.unregister(this);
    this.team.release();
  }

  /** A 16-byte aligned region holding `data` (or `data` zeroed floats). */
  private region(data: Float32Array | Int32Array | number): Region {
    const length = typeof data === 'number' ? data : data.length;
    const ptr = this.next;
    this.next += Math.ceil((4 * length) / 16) * 16;
    const region = { ptr, f32: new Float32Array(this.memory.buffer, ptr, length), i32: new Int32Array(this.memory.buffer, ptr, length) };
    if (data instanceof Float32Array) region.f32.set(data);
    else if (data instanceof Int32Array) region.i32.set(data);
    return region;
  }

  private propagate(transposed: boolean, width: number, b: Region, out: Region): void {
    const m = transposed ? this.at! : this.a;
    if ('rows' in m) this.products.spmm(m, width, b, null, out);
    else this.products.gemm(this.shape.nodes, this.shape.nodes, width, m, b, null, out, true);
  }

  /**
   * One epoch: Adam step `step` (1-based), dropout mask `seed`. Returns [train loss with the L2 term, validation
   * loss, validation accuracy] of the parameters before the step, as the tape's epoch-metrics kernel does.
   */
  epoch(step: number, seed: number): [number, number, number] {
    const { nodes: n, hidden: h, classes: c, dropout } = this.shape;
    const { r, products: k } = this;
    const params = r.params.f32;
    let ss = 0;
    for (let i = 0; i < params.length; i++) ss += params[i] * params[i];

    k.spmm(this.x, h, r.w1, r.b1, r.xw);
    this.propagate(false, h, r.xw, r.dxw); // dxw holds A @ xw until the backward pass needs it
    k.reluDropout(n * h, r.dxw, r.hd, dropout, seed);
    k.gemm(n, h, c, r.hd, r.w2, r.b2, r.hw, false);
    this.propagate(false, c, r.hw, r.z);
    const metrics = this.lossAndMetrics(ss);
    if (this.reached) this.reachedBackward(this.reached);
    else this.fullBackward();
    this.adam(step, ss);
    return metrics;
  }

  /** The gradients into r.grads, every row computed. */
  private fullBackward(): void {
    const { nodes: n, hidden: h, classes: c, dropout } = this.shape;
    const { r, products: k } = this;
    this.propagate(true, c, r.dz, r.dhw);
    k.gemmT(h, n, c, r.hd, r.dhw, r.dw2);
    columnSums(r.dhw.f32, n, c, r.db2.f32);
    k.gemmBT(n, c, h, r.dhw, r.w2, r.xw); // xw, free now, holds dhw @ W2^T
    k.reluDropoutGrad(n * h, r.xw, r.hd, r.dh, dropout);
    this.propagate(true, h, r.dh, r.dxw);
    k.spmmT(this.x, this.xt!, h, r.dxw, r.dw1);
    columnSums(r.dxw.f32, n, h, r.db1.f32);
  }

  /** The same gradients, computing only the rows that can be non-zero (reached-rows.ts). */
  private reachedBackward(rows: { train: Region; first: Region; second: Region }): void {
    const { hidden: h, classes: c, dropout } = this.shape;
    const { r, products: k } = this;
    const a = this.a;
    const [first, second] = [rows.first.i32, rows.second.i32];
    zeroRows(first, c, r.dhw.f32);
    k.scatterFrom(rows.train, a, c, r.dz, r.dhw);
    k.gemmTOver(rows.first, h, c, r.hd, r.dhw, r.dw2);
    columnSumsOver(first, r.dhw.f32, c, r.db2.f32);
    k.gemmBTOver(rows.first, c, h, r.dhw, r.w2, r.xw); // xw, free now, holds dhw @ W2^T
    reluDropoutGradOver(first, h, r.xw.f32, r.hd.f32, r.dh.f32, 1 / (1 - dropout));
    zeroRows(second, h, r.dxw.f32);
    k.scatterFrom(rows.first, a, h, r.dh, r.dxw);
    r.dw1.f32.fill(0);
    k.scatterFrom(rows.second, this.x, h, r.dxw, r.dw1);
    columnSumsOver(second, r.dxw.f32, h, r.db1.f32);
  }

  /** Masked softmax cross-entropy: the epoch's three numbers, and dz (the train loss's gradient) in r.dz. */
  private lossAndMetrics(ss: number): [number, number, number] {
    const { classes: c, weightDecay } = this.shape;
    const z = this.r.z.f32;
    const dz = this.r.dz.f32;
    const { labels: y, trainMask: tw, valMask: vw } = this;
    let train = 0;
    let val = 0;
    let hits = 0;
    const g0 = this.trainWeight === 0 ? 0 : 1 / this.trainWeight;
    const e = this.exps;
    // dz stays zero outside the training rows (never written there), and those are rewritten whole each epoch.
    for (const i of this.lossRows) {
      const row = i * c;
      const sm = softmaxRow(z, row, c, e);
      const ce = crossEntropy(z, row, y[i], sm);
      train += tw[i] * ce;
      val += vw[i] * ce;
      if (sm.best === y[i]) hits += vw[i];
      if (tw[i] === 0) continue;
      const s = (g0 * tw[i]) / sm.sum;
      for (let j = 0; j < c; j++) dz[row + j] = s * e[j];
      dz[row + y[i]] -= g0 * tw[i];
    }
    return [
      (this.trainWeight === 0 ? 0 : train / this.trainWeight) + weightDecay * Math.sqrt(ss),
      this.valWeight === 0 ? 0 : val / this.valWeight,
      this.valWeight === 0 ? 0 : hits / this.valWeight,
    ];
  }

  /** Adam over all parameters, the article's L2 term's gradient (weightDecay * p / ||p||) folded in. */
  private adam(step: number, ss: number): void {
    const r = this.r;
    const k = adamConstants({ ...this.shape, step }, ss);
    const [p, g, m, v] = [r.params.f32, r.grads.f32, r.m.f32, r.v.f32];
    // With SIMD, all but the last (length mod 4) entries in f32 four at a time; the rest in doubles.
    const start = this.simdKernels ? p.length & ~3 : 0;
    this.simdKernels?.adam(start, r.params.ptr, r.grads.ptr, r.m.ptr, r.v.ptr, k.d, k.lr, k.beta1, k.beta2, k.c1, k.c2, k.epsilon);
    adamRange(k, start, p.length, p, g, m, v, p, m, v);
  }

  /** The current parameters (W1, b1, W2, b2 flattened), copied. */
  parameters(): Float32Array {
    return this.r.params.f32.slice();
  }
}

/** A team on `memory`, or null (and a warning, once) where threads cannot start here. */
function startTeam(memory: WebAssembly.Memory, threads: number): KernelTeam | null {
  try {
    return new KernelTeam(memory, threads);
  } catch (error) {
    if (!(error instanceof ThreadsError)) throw error;
    if (!warnedThreads) process.emitWarning(`${error.message}; running on one thread`, 'GcnlabThreadsWarning');
    warnedThreads = true;
    return null;
  }
}
let warnedThreads = false;

function arrays(m: Csr): CsrArrays {
  return { rows: m.rows, rowPtr: m.rowPtr.i32, colIndex: m.colIndex.i32, values: m.values.f32 };
}

/** The transpose of a dense n x n matrix, or null when it is symmetric (a GCN's normalised adjacency is). */
export function transposeDense(m: Float32Array, n: number): Float32Array | null {
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) {
    for (let j = i + 1; j < n; j++) {
      if (m[i * n + j] !== m[j * n + i]) {
        symmetric = false;
        break;
      }
    }
  }
  if (symmetric) return null;
  const t = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}
