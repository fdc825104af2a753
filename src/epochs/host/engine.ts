// Whole training epochs of any GCN (the layer list of an EpochShape) on the host without tfjs's engine: every array
// laid out once per run in one WebAssembly.Memory, each epoch the same sequence as the tape (forward, loss and
// metrics, backward, the L2 term, Adam), through JavaScript kernels (the cpu device) or WebAssembly SIMD (wasm).
import { countMask } from '../../data/index.js';
import { ShapeError, ThreadsError } from '../../errors.js';
import {
  adamConstants,
  adamRange,
  columnSums,
  crossEntropy,
  ThreadTeam,
  simdOn,
  simdSupported,
  softmaxRow,
  threadsUnavailable,
  transposeDense,
  type SimdExports,
} from '../../ops/index.js';
import type { CsrMatrix } from '../../sparse/index.js';
import { backwardBuffers, epochBuffers, gradientOf, layerBuffer } from '../buffers.js';
import { checkEpochShape, classesOf, parameterSlots, type DropoutSeeds, type EpochGraph, type EpochMetrics, type EpochShape } from '../shape.js';
import { layOut, subRegion, type Place } from './memory.js';
import { javascriptProducts, SHARE_FROM, simdProducts, type Csr, type Products, type Region } from './products.js';
import { chooseBackwardRows, columnSumsOver, reluDropoutGradOver, rowsWhere, zeroRows, type BackwardRows } from './reached-rows.js';

export { SHARE_FROM } from './products.js';

/** How a host epoch computes: JavaScript (the cpu device) or WebAssembly SIMD (wasm). */
export type HostCodePath = 'javascript' | 'simd';
export type { BackwardRows };

export interface HostEpochOptions {
  /** Which rows the backward pass computes (default 'auto': see reached-rows.ts). */
  backwardRows?: BackwardRows;
  /**
   * Threads for the SIMD kernels (default 1): above 1, the memory is a shared one and the products over every row are
   * split among that many threads (ops/threads), where the graph has a product worth splitting (`shareFrom`). Where
   * threads cannot start, one thread runs everything (with a warning).
   */
  threads?: number;
  /** Multiply-adds from which a product is split among the threads (default SHARE_FROM). */
  shareFrom?: number;
}

/** One layer's parameters and their gradients: views into params and grads. */
interface LayerParameters {
  inputs: number;
  outputs: number;
  w: Region;
  b: Region | null;
  dw: Region;
  db: Region | null;
}

/** Everything an epoch reads and writes, in the run's memory. */
interface Layout {
  x: Csr | Region;
  /** X^T (sparse X, full backward only). */
  xt: Csr | null;
  a: Csr | Region;
  /** A^T (full backward only; a symmetric dense A is its own). */
  at: Csr | Region | null;
  /** The reached rows of each step (reached-rows.ts), or null for the full backward. */
  reached: Region[] | null;
  /** The epoch's arrays by name (epochs/buffers.ts: parameters, Adam's moments, dz, each layer's activations). */
  buffers: Record<string, Region>;
  /** b^T of a layer's weights, for the SIMD gemmBT. */
  scratch: Region;
  layers: LayerParameters[];
}

/** Teams of host epochs that were never disposed are released when the epochs are collected. */
const unreleased = new FinalizationRegistry<ThreadTeam>((team) => team.release());

export class HostEpochs {
  readonly parameterCount: number;
  private readonly memory: WebAssembly.Memory;
  private readonly products: Products;
  private readonly l: Layout;
  private readonly labels: Int32Array;
  private readonly trainMask: Uint8Array;
  private readonly valMask: Uint8Array;
  private readonly trainWeight: number;
  private readonly valWeight: number;
  private readonly simdExports: SimdExports | null;
  private readonly team: ThreadTeam | null;
  /** One row's exponentials, in doubles as the tape's kernels compute them. */
  private readonly exps: Float64Array;
  /** The rows the loss and the metrics read: training or validation. */
  private readonly lossRows: Int32Array;

  /** Lays out the graph and the parameters (the model's flat order: see parameterSlots) in one memory. */
  constructor(
    private readonly shape: EpochShape,
    graph: EpochGraph,
    parameters: Float32Array,
    codePath: HostCodePath,
    options: HostEpochOptions = {},
  ) {
    checkEpochShape(shape);
    const { nodes: n, layers } = shape;
    const { slots, count } = parameterSlots(layers);
    this.parameterCount = count;
    if (parameters.length !== count) {
      throw new ShapeError('the parameters given to host epochs', `${count} values (the model's, layers ${layers.map((l) => `${l.inputs}x${l.outputs}`).join(', ')})`, `${parameters.length}`);
    }
    const f = layers[0].inputs;
    const denseX = graph.features instanceof Float32Array ? graph.features : null;
    const denseA = graph.adjacency instanceof Float32Array ? graph.adjacency : shape.adjacency === 'dense' ? denseRowsOf(graph.adjacency, n) : null;
    if ((denseX !== null) !== (shape.features === 'dense') || (denseA !== null) !== (shape.adjacency === 'dense')) {
      throw new ShapeError('the host epochs graph', `features ${shape.features} and adjacency ${shape.adjacency}`, `features ${denseX ? 'dense' : 'sparse'} and adjacency ${denseA ? 'dense' : 'sparse'}`);
    }
    if (denseX ? denseX.length !== n * f : (graph.features as CsrMatrix).rows !== n || (graph.features as CsrMatrix).cols !== f) {
      throw new ShapeError('the host epochs features', `${n}x${f}`, denseX ? `${denseX.length} values` : `${(graph.features as CsrMatrix).rows}x${(graph.features as CsrMatrix).cols}`);
    }
    const simdWanted = codePath === 'simd' && simdSupported();
    const csrA = graph.adjacency as CsrMatrix;
    const csrX = graph.features as CsrMatrix;
    const reached = chooseBackwardRows(options.backwardRows ?? 'auto', denseA ?? csrA, denseX ?? csrX, graph.trainMask, shape, simdWanted);
    // The full backward reads the transposes; the reached rows' backward scatters A's and X's own rows instead.
    const xt = reached || denseX ? null : csrX.transpose();
    const at = reached ? null : denseA ? transposeDense(denseA, n) : csrA.transpose();
    const shareFrom = options.shareFrom ?? SHARE_FROM;
    const widest = Math.max(
      ...layers.map((l, i) => (i === 0 ? (denseX ? n * f : csrX.nnz) : n * l.inputs) * l.outputs),
      ...layers.map((l) => (denseA ? n * n : csrA.nnz) * l.outputs),
    );
    const threaded = simdWanted && (options.threads ?? 1) > 1 && widest >= shareFrom && threadsUnavailable() === null;

    const build = (place: Place): Layout => {
      const csr = (m: CsrMatrix): Csr => ({ rows: m.rows, rowPtr: place(m.rowPtr), colIndex: place(m.colIndex), values: place(m.values) });
      const x = denseX ? place(denseX) : csr(csrX);
      const a = denseA ? place(denseA) : csr(csrA);
      const buffers = Object.fromEntries(epochBuffers(shape).map((b) => [b.name, place(b.name === 'params' ? parameters : b.length)]));
      const { params, grads } = buffers;
      return {
        x,
        xt: xt && csr(xt),
        a,
        // A symmetric dense A is its own transpose (transposeDense gives null).
        at: reached ? null : at === null ? a : at instanceof Float32Array ? place(at) : csr(at),
        reached: reached && reached.map((rows) => place(rows)),
        buffers,
        scratch: place(Math.max(1, ...layers.map((l) => l.inputs * l.outputs))),
        layers: layers.map((l, i) => ({
          inputs: l.inputs,
          outputs: l.outputs,
          w: subRegion(params, slots[i].weight, l.inputs * l.outputs),
          b: slots[i].bias === null ? null : subRegion(params, slots[i].bias!, l.outputs),
          dw: subRegion(grads, slots[i].weight, l.inputs * l.outputs),
          db: slots[i].bias === null ? null : subRegion(grads, slots[i].bias!, l.outputs),
        })),
      };
    };
    const { memory, layout } = layOut(build, threaded);
    this.memory = memory;
    this.l = layout;
    this.labels = graph.labels;
    this.trainMask = graph.trainMask;
    this.valMask = graph.valMask;
    this.lossRows = rowsWhere(graph.trainMask, graph.valMask);
    this.trainWeight = countMask(graph.trainMask);
    this.valWeight = countMask(graph.valMask);
    const simd = codePath === 'simd' ? simdOn(this.memory) : null;
    this.team = simd && threaded ? startTeam(this.memory, options.threads!) : null;
    if (this.team) unreleased.register(this, this.team, this);
    this.products = simd ? simdProducts(simd, layout.scratch, this.team, shareFrom) : javascriptProducts;
    this.simdExports = simd;
    this.exps = new Float64Array(classesOf(shape));
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

  /** Whether the backward computes only the rows the training rows reach (reached-rows.ts). */
  get reachedRows(): boolean {
    return this.l.reached !== null;
  }

  /** Stops the helper threads from holding this run's memory. The epochs cannot run after it. */
  dispose(): void {
    if (!this.team) return;
    unreleased.unregister(this);
    this.team.release();
  }

  /** out = A @ b, or A^T @ b (`transposed`), `width` columns. */
  private propagate(transposed: boolean, width: number, b: Region, out: Region): void {
    const m = transposed ? this.l.at! : this.l.a;
    if ('rows' in m) this.products.spmm(m, width, b, null, out);
    else this.products.gemm(this.shape.nodes, this.shape.nodes, width, m, b, null, out, true);
  }

  /**
   * One epoch: Adam step `step` (1-based), hidden layer i's dropout mask from seeds[i]. Returns the metrics of the
   * parameters before the step, as the tape's epoch-metrics kernel does.
   */
  epoch(step: number, seeds: DropoutSeeds): EpochMetrics {
    const { nodes: n, dropout } = this.shape;
    const { l, products: k } = this;
    if (seeds.length !== l.layers.length - 1) {
      throw new ShapeError('the dropout seeds of a host epoch', `${l.layers.length - 1} (one per hidden layer)`, `${seeds.length}`);
    }
    const buf = l.buffers;
    const params = buf.params.f32;
    let ss = 0;
    for (let i = 0; i < params.length; i++) ss += params[i] * params[i];

    l.layers.forEach((layer, i) => {
      const { inputs, outputs: w } = layer;
      const [lin, prop] = [buf[layerBuffer.lin(i)], buf[layerBuffer.prop(i)]];
      if (i > 0) k.gemm(n, inputs, w, buf[layerBuffer.hidden(i - 1)], layer.w, layer.b, lin, false);
      else if ('rows' in l.x) k.spmm(l.x, w, layer.w, layer.b, lin);
      else k.gemm(n, inputs, w, l.x, layer.w, layer.b, lin, true);
      this.propagate(false, w, lin, prop);
      if (i < l.layers.length - 1) k.reluDropout(n * w, prop, buf[layerBuffer.hidden(i)], dropout, seeds[i]);
    });
    const metrics = this.lossAndMetrics(ss);
    if (l.reached) this.reachedBackward(l.reached);
    else this.fullBackward();
    this.adam(step, ss);
    return metrics;
  }

  /**
   * The gradients into grads, every row computed. Layer by layer from the top: g (the gradient wrt the layer's A
   * product) -> A^T @ g (wrt lin) -> dW, db, and above the first layer the gradient wrt the A product below, in the
   * arrays epochs/buffers.ts assigns.
   */
  private fullBackward(): void {
    const { nodes: n, dropout } = this.shape;
    const { l, products: k } = this;
    const buf = l.buffers;
    for (let i = l.layers.length - 1; i >= 0; i--) {
      const layer = l.layers[i];
      const w = layer.outputs;
      const names = backwardBuffers(this.shape, i);
      const dLin = buf[names.dLin];
      this.propagate(true, w, buf[gradientOf(this.shape, i)], dLin);
      if (i > 0) k.gemmT(layer.inputs, n, w, buf[layerBuffer.hidden(i - 1)], dLin, layer.dw, false);
      else if ('rows' in l.x) k.spmmT(l.x, l.xt!, w, dLin, layer.dw);
      else k.gemmT(layer.inputs, n, w, l.x, dLin, layer.dw, true);
      if (layer.db) columnSums(dLin.f32, n, w, layer.db.f32);
      if (i === 0) break;
      const dInput = buf[names.dInput!];
      k.gemmBT(n, w, layer.inputs, dLin, layer.w, dInput);
      k.reluDropoutGrad(n * layer.inputs, dInput, buf[layerBuffer.hidden(i - 1)], buf[names.dBelow!], dropout);
    }
  }

  /** The same gradients, computing only the rows that can be non-zero (reached-rows.ts). */
  private reachedBackward(steps: Region[]): void {
    const { dropout } = this.shape;
    const { l, products: k } = this;
    const buf = l.buffers;
    const top = l.layers.length - 1;
    for (let i = top; i >= 0; i--) {
      const layer = l.layers[i];
      const w = layer.outputs;
      const [from, to] = [steps[top - i], steps[top - i + 1]];
      const names = backwardBuffers(this.shape, i);
      const dLin = buf[names.dLin];
      zeroRows(to.i32, w, dLin.f32);
      k.scatterFrom(from, l.a, w, buf[gradientOf(this.shape, i)], dLin);
      if (i > 0) k.gemmTOver(to, layer.inputs, w, buf[layerBuffer.hidden(i - 1)], dLin, layer.dw);
      else if ('rows' in l.x) {
        layer.dw.f32.fill(0);
        k.scatterFrom(to, l.x, w, dLin, layer.dw);
      } else k.gemmTOver(to, layer.inputs, w, l.x, dLin, layer.dw);
      if (layer.db) columnSumsOver(to.i32, dLin.f32, w, layer.db.f32);
      if (i === 0) break;
      const dInput = buf[names.dInput!];
      k.gemmBTOver(to, w, layer.inputs, dLin, layer.w, dInput);
      reluDropoutGradOver(to.i32, layer.inputs, dInput.f32, buf[layerBuffer.hidden(i - 1)].f32, buf[names.dBelow!].f32, 1 / (1 - dropout));
    }
  }

  /** Masked softmax cross-entropy: the epoch's three numbers, and dz (the train loss's gradient). */
  private lossAndMetrics(ss: number): EpochMetrics {
    const { weightDecay } = this.shape;
    const c = classesOf(this.shape);
    const z = this.l.buffers[layerBuffer.prop(this.l.layers.length - 1)].f32;
    const dz = this.l.buffers.dz.f32;
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
    const { params, grads, m, v } = this.l.buffers;
    const k = adamConstants({ ...this.shape, step }, ss);
    const [p, g, mv, vv] = [params.f32, grads.f32, m.f32, v.f32];
    // With SIMD, all but the last (length mod 4) entries in f32 four at a time; the rest in doubles.
    const start = this.simdExports ? p.length & ~3 : 0;
    this.simdExports?.adam(start, params.ptr, grads.ptr, m.ptr, v.ptr, k.d, k.lr, k.beta1, k.beta2, k.c1, k.c2, k.epsilon);
    adamRange(k, start, p.length, p, g, mv, vv, p, mv, vv);
  }

  /** The current parameters (the model's flat order), copied. */
  parameters(): Float32Array {
    return this.l.buffers.params.f32.slice();
  }
}

/** A team on `memory`, or null (and a warning, once) where threads cannot start here. */
function startTeam(memory: WebAssembly.Memory, threads: number): ThreadTeam | null {
  try {
    return new ThreadTeam(memory, threads);
  } catch (error) {
    if (!(error instanceof ThreadsError)) throw error;
    if (!warnedThreads) process.emitWarning(`${error.message}; running on one thread`, 'GcnlabThreadsWarning');
    warnedThreads = true;
    return null;
  }
}
let warnedThreads = false;

/** A dense A given as a CsrMatrix of its entries (see EpochGraph), as the dense rows the host kernels read. */
function denseRowsOf(a: CsrMatrix, n: number): Float32Array {
  if (a.rows !== n || a.cols !== n) throw new ShapeError('the host epochs adjacency', `${n}x${n}`, `${a.rows}x${a.cols}`);
  return a.toDense();
}
