// Whole training epochs of any GCN (an EpochShape's layer list) on a GPUDevice without tfjs's per-program setup:
// buffers, pipelines and bind groups made once per training run, each epoch one command buffer of at most 2 + 4 L
// dispatches (7 for the two-layer GCN on Cora, sparse or dense A, where its A products also compute what follows
// their rows: see shaders/fusion.ts's rowsComplete), and one 16-byte read-back (its three numbers). A dense A that is
// mostly zeros is read as CSR (sparse-adjacency.ts).
import { countMask } from '../../data/index.js';
import { GcnlabError, MemoryLimitError, ShapeError } from '../../errors.js';
import type { AdjacencyRead } from '../../events.js';
import { transposeDense, transposeMatrix } from '../../ops/index.js';
import { CsrMatrix } from '../../sparse/index.js';
import { epochBuffers } from '../buffers.js';
import { checkEpochShape, hiddenLayerCount, parameterSlots, type DropoutSeeds, type EpochGraph, type EpochMetrics, type EpochShape } from '../shape.js';
import { checkEpochMemory, type PlannedBuffer } from './memory.js';
import { keepsFirstProduct, propagateFeatures } from './propagated-features.js';
import { readAdjacency } from './sparse-adjacency.js';
import { epochShaders, FLAT_GROUP, LANES_MAX_ROW, lossPartsOf, MAX_X_GROUPS, moduleCode, quadsOf, seedVectors, slicesOf, squareSlicesOf, type Shader, type WebGpuEpochShape } from './shaders/index.js';

// WebGPU's usage and map-mode bits (globalThis.GPUBufferUsage is not defined everywhere tfjs runs).
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;
const QUERY_RESOLVE = 0x200;

/** WebGpuEpochs.profile's answer: times in ms (the epoch's, by wall clock) and per kernel in µs. */
export interface EpochProfile {
  /**
   * What the first layer reads: its features propagated up front (A X, as CSR or dense rows; see
   * propagated-features.ts), or X with the A products kept and why.
   */
  firstLayer: FirstLayer;
  /** How the A products read A: as given, or a dense A as CSR (see sparse-adjacency.ts), and why. */
  adjacencyRead: AdjacencyRead;
  dispatchesPerEpoch: number;
  passesPerEpoch: number;
  /** An empty submission and the 16-byte read-back. */
  floorMs: number;
  /** The host's time to encode one epoch's commands. */
  encodeMs: number;
  /** One epoch encoded, submitted and read back. */
  epochMs: number;
  /**
   * SEQUENCE_EPOCHS calls of epoch(), as train() makes them where no early stop can come between (each but the last
   * submits the next step before reading its own metrics back; each encodes a step ahead while the GPU runs).
   */
  callsMs: number[];
  /** The same calls, each step submitted only once the one before was read back (train() where patience may stop it). */
  callsWaitingMs: number[];
  /** Ten epochs' passes in one submission. */
  tenEpochsMs: number;
  /** The GPU time of one epoch's pass, where the device has timestamp queries. */
  epochGpuUs?: number;
  kernels: { name: string; workgroups: number; wallUs: number; gpuUs?: number }[];
  /**
   * Where the device has timestamp queries, SEQUENCE_EPOCHS epochs first, one submission and read-back each as
   * train() runs them: each one's wall time (ms) and its pass's GPU time (µs). GPU times well above epochGpuUs say
   * the GPU itself ran slower between read-backs (its clocks), not the host.
   */
  sequence?: { wallMs: number[]; gpuUs: number[] };
}

/** The first layer's input as the kernels read it (EpochProfile.firstLayer). */
export type FirstLayer = { propagated: true; features: 'sparse' | 'dense' } | { propagated: false; features: 'sparse' | 'dense'; keptBecause: string };

/** Epochs in EpochProfile.sequence. */
const SEQUENCE_EPOCHS = 20;

interface Submitted {
  step: number;
  readback: GPUBuffer;
  mapped: Promise<void>;
}

interface Pass {
  name: string;
  pipeline: GPUComputePipeline;
  /** One bind group, or two that alternate dispatch by dispatch (a shader's `swap`). */
  bindGroups: GPUBindGroup[];
  groups: [number, number];
}

export class WebGpuEpochs {
  private readonly buffers = new Map<string, GPUBuffer>();
  private passes: Pass[] = [];
  /** Dispatches encoded so far of the pass with two bind groups (Adam's). */
  private turns = 0;
  /** The rows of A and A^T past LANES_MAX_ROW entries, counted as listBuffers uploads them. */
  private readonly longRows: { a: number; aT: number; xt?: number } = { a: 0, aT: 0 };
  /** The epoch's uniform: Adam's two bias corrections, then one dropout seed per hidden layer (from byte 16). */
  private readonly epochData: DataView;
  readonly parameterCount: number;

  private constructor(
    private readonly device: GPUDevice,
    private readonly shape: WebGpuEpochShape,
    /** What the first layer reads. */
    readonly firstLayer: FirstLayer,
    /** How the A products read A. */
    readonly adjacencyRead: AdjacencyRead,
  ) {
    this.parameterCount = parameterSlots(shape.layers).count;
    this.epochData = new DataView(new ArrayBuffer(16 + 16 * seedVectors(shape)));
  }

  /**
   * Uploads the graph and the parameters (the model's flat order: see parameterSlots) and compiles the kernels.
   * Throws ShapeError where the graph or the parameters do not match the shape, MemoryLimitError where the buffers
   * would not fit, and with the compiler's messages if a kernel does not compile.
   */
  static async create(device: GPUDevice, shape: EpochShape, graph: EpochGraph, parameters: Float32Array): Promise<WebGpuEpochs> {
    checkEpochShape(shape);
    checkGraph(shape, graph);
    const weights = { trainWeight: countMask(graph.trainMask), valWeight: countMask(graph.valMask) };
    // A dense A read as CSR where few of its entries are non-zero (see sparse-adjacency.ts), then the first layer's
    // A product once, here, where it pays (see propagated-features.ts); the same parameters.
    const asRead = readAdjacency({ ...shape, ...weights }, graph);
    const kept = keepsFirstProduct(asRead.shape, asRead.graph);
    const given = kept === null ? propagateFeatures(asRead.shape, asRead.graph) : asRead;
    const firstLayer: FirstLayer = kept === null ? { propagated: true, features: given.shape.features } : { propagated: false, features: shape.features, keptBecause: kept };
    const run = new WebGpuEpochs(device, given.shape, firstLayer, asRead.adjacencyRead);
    // Refused before the device is asked for anything: MemoryLimitError where a buffer would not fit.
    run.listBuffers(given.graph, parameters);
    const kernels = epochShaders(run.kernelShape);
    run.plannedBytes = run.plan.reduce((sum, b) => sum + b.bytes, 0);
    checkEpochMemory(run.plan, device.limits);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let failure: unknown;
    try {
      run.makeBuffers();
      await run.compile(kernels);
    } catch (error) {
      failure = error;
    }
    const invalid = await device.popErrorScope();
    const outOfMemory = await device.popErrorScope();
    // Whatever went wrong, the buffers made so far go with it.
    if (failure !== undefined || invalid || outOfMemory) run.dispose();
    // The limits passed but the GPU had too little memory free: the same typed refusal, after the fact.
    if (outOfMemory) {
      throw new MemoryLimitError("the webgpu epochs' buffers", run.plannedBytes, null, `the GPU is out of memory (${outOfMemory.message}); train a smaller graph or on the cpu or wasm device`);
    }
    // A kernel's compile error (with its line and column) says more than the validation error it leads to.
    if (failure !== undefined) throw failure;
    if (invalid) throw new GcnlabError('WEBGPU_EPOCHS', `the webgpu epochs' buffers or kernels are invalid on this device: ${invalid.message}`);
    return run;
  }

  /** Buffers are listed first and made only once they all pass the device's limits (see checkEpochMemory). */
  private plan: PlannedBuffer[] = [];

  private buffer(name: string, data: ArrayBufferView | number, usage = STORAGE | COPY_DST | COPY_SRC): void {
    const bytes = typeof data === 'number' ? data : data.byteLength;
    this.plan.push({ name, bytes: Math.max(16, Math.ceil(bytes / 16) * 16), data: typeof data === 'number' ? null : data, usage });
  }

  /** Bytes the listed buffers take (the last list made). */
  private plannedBytes = 0;

  /** The shape the kernels are made for: the run's, with the long rows listBuffers counted. */
  private get kernelShape(): WebGpuEpochShape {
    return { ...this.shape, longRows: this.longRows };
  }

  /** The dispatches each epoch's command buffer holds. */
  get dispatchesPerEpoch(): number {
    return this.passes.length;
  }

  /** Bytes of GPU memory the epochs hold (every buffer, a shared one once). */
  get allocatedBytes(): number {
    return [...new Set(this.buffers.values())].reduce((sum, b) => sum + b.size, 0);
  }

  private makeBuffers(): void {
    for (const { name, bytes, data, usage, sameAs } of this.plan) {
      if (sameAs) {
        this.buffers.set(name, this.buffers.get(sameAs)!);
        continue;
      }
      const buffer = this.device.createBuffer({ size: bytes, usage });
      if (data) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
      this.buffers.set(name, buffer);
    }
    this.plan = [];
  }

  private listBuffers(graph: EpochGraph, parameters: Float32Array): void {
    const n = this.shape.nodes;
    if (parameters.length !== this.parameterCount) {
      throw new ShapeError('the parameters given to the webgpu epochs', `${this.parameterCount} floats (the model's)`, `${parameters.length}`);
    }
    const csr = (prefix: string, m: CsrMatrix) => {
      this.buffer(`${prefix}Ptr`, m.rowPtr);
      this.buffer(`${prefix}Col`, m.colIndex);
      this.buffer(`${prefix}Val`, m.values);
    };
    // A's, A^T's and X^T's long rows, listed after the row pointers for the workgroups that sum them (see
    // WebGpuEpochShape.longRows): a binding of their own would be one too many for a kernel with 8.
    const withLongRows = (prefix: 'a' | 'aT' | 'xt', m: CsrMatrix) => {
      const long: number[] = [];
      for (let i = 0; i < m.rows; i++) if (m.rowPtr[i + 1] - m.rowPtr[i] > LANES_MAX_ROW) long.push(i);
      this.longRows[prefix] = long.length;
      this.buffer(`${prefix}Ptr`, pointersThen(m.rowPtr, long));
      this.buffer(`${prefix}Col`, m.colIndex);
      this.buffer(`${prefix}Val`, m.values);
    };
    if (graph.features instanceof CsrMatrix && this.shape.propagatedFeatures) {
      // X' = [A X | A 1] as CSR, a workgroup a row each way; X'^T's columns after its row pointers, one binding
      // fewer for the weight gradient that sums the folded layers' weights beside it (WebGpuEpochShape.propagatedFeatures).
      csr('x', graph.features);
      const xt = graph.features.transpose();
      this.buffer('xtPtr', pointersThen(xt.rowPtr, xt.colIndex));
      this.buffer('xtVal', xt.values);
    } else if (graph.features instanceof CsrMatrix) {
      csr('x', graph.features);
      withLongRows('xt', graph.features.transpose());
    } else {
      // Dense X and X^T (so the weight gradient reads its rows contiguously) as vec4s, padded (see quadsOf).
      const inputs = this.shape.layers[0].inputs;
      this.buffer('x', paddedRows(graph.features, n, inputs));
      this.buffer('xT', paddedRows(transposeMatrix(graph.features, n, inputs), inputs, n));
    }
    if (!(graph.adjacency instanceof CsrMatrix)) {
      this.buffer('adj', paddedRows(graph.adjacency, n, n));
      // A GCN's normalised adjacency is symmetric: then A^T is the same buffer.
      const transposed = transposeDense(graph.adjacency, n);
      if (transposed) this.buffer('adjT', paddedRows(transposed, n, n));
      else this.plan.push({ name: 'adjT', bytes: 0, data: null, usage: 0, sameAs: 'adj' });
    } else {
      withLongRows('a', graph.adjacency);
      withLongRows('aT', graph.adjacency.transpose());
    }
    // Each node's label and masks in one word (see the shaders' LABEL_BITS): one binding, where a kernel has 8.
    this.buffer('targets', Uint32Array.from(graph.labels, (label, i) => (label & 0x3fffffff) | (graph.trainMask[i] ? 1 << 30 : 0) | (graph.valMask[i] ? 2 ** 31 : 0)));
    this.buffer('params', parameters);
    const slices = slicesOf(n);
    // The epoch's arrays (epochs/buffers.ts), but the gradients as S partial sums each, which Adam adds up.
    for (const { name, length } of epochBuffers(this.shape)) {
      if (name === 'params') continue;
      if (name === 'grads') this.buffer('gradParts', 4 * length * slices);
      else if (name === 'm' || name === 'v') this.buffer(name, new Float32Array(length));
      else this.buffer(name, 4 * length);
    }
    // Adam reads the squared parameters' partial sums from one and writes the next step's to the other; the first
    // step's sum comes from here (in float64).
    const squares = new Float32Array(squareSlicesOf(this.parameterCount));
    squares[0] = parameters.reduce((sum, p) => sum + p * p, 0);
    this.buffer('squaresIn', squares);
    this.buffer('squaresOut', 4 * squares.length);
    // (The long rows are counted by now: the loss's partial sums are one a row where the A product computes it.)
    this.buffer('statParts', 4 * 3 * lossPartsOf(this.kernelShape));
    this.buffer('scalars', 32);
    this.buffer('epoch', this.epochData.byteLength, UNIFORM | COPY_DST);
    this.buffer('readback', 16, MAP_READ | COPY_DST);
    this.buffer('readbackAhead', 16, MAP_READ | COPY_DST);
  }

  private async compile({ header, shaders }: { header: string; shaders: Shader[] }): Promise<void> {
    this.passes = await Promise.all(
      shaders.map(async (shader) => {
        const module = this.device.createShaderModule({ label: `gcnlab-${shader.name}`, code: moduleCode(header, shader) });
        const info = await module.getCompilationInfo();
        const errors = info.messages.filter((m) => m.type === 'error');
        if (errors.length) {
          throw new GcnlabError('WEBGPU_EPOCHS', `the webgpu epochs' kernel ${shader.name} does not compile on this device: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
        }
        const pipeline = await this.device.createComputePipelineAsync({ label: shader.name, layout: 'auto', compute: { module, entryPoint: 'main' } });
        const bindGroup = (swapped: boolean) => {
          const other = (name: string) => (!swapped || !shader.swap?.includes(name) ? name : shader.swap.find((n) => n !== name)!);
          return this.device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: shader.bindings.map(([name], i) => ({ binding: i, resource: { buffer: this.buffers.get(other(name))! } })),
          });
        };
        const bindGroups = shader.swap ? [bindGroup(false), bindGroup(true)] : [bindGroup(false)];
        const groups = shader.workgroups ?? Math.ceil(shader.threads! / FLAT_GROUP);
        return { name: shader.name, pipeline, bindGroups, groups: [Math.min(groups, MAX_X_GROUPS), Math.ceil(groups / MAX_X_GROUPS)] as [number, number] };
      }),
    );
  }

  /**
   * One epoch: Adam step `step` (1-based), hidden layer i's dropout mask drawn from `seeds()` (called once for each
   * step this call submits). Resolves, once the GPU has finished, to [train loss with the L2 term, validation loss,
   * validation accuracy] of the parameters before the step. `ahead`: the caller will call epoch(step + 1) next, so
   * that step is submitted before this one's metrics are read back and the GPU does not wait on the host between
   * them (the same commands in the same order: the results do not change). A step submitted ahead must come next.
   */
  async epoch(step: number, seeds: () => DropoutSeeds, ahead = false): Promise<EpochMetrics> {
    if (this.inFlight && this.inFlight.step !== step) {
      throw new GcnlabError('WEBGPU_EPOCHS', `webgpu epoch ${step} was asked for, but epoch ${this.inFlight.step} was submitted ahead and must come next`);
    }
    const current = this.inFlight ?? this.submit(step, seeds());
    this.inFlight = ahead ? this.submit(step + 1, seeds()) : null;
    // The next step's commands, encoded while the GPU runs: they read the epoch uniform when they run, and the
    // call that submits them writes it first.
    const next = step + (ahead ? 2 : 1);
    this.pending = { step: next, turnsBefore: this.turns, commands: this.epochCommands(next) };
    await current.mapped;
    const r = new Float32Array(current.readback.getMappedRange(0, 16));
    const out: EpochMetrics = [r[0], r[1], r[2]];
    current.readback.unmap();
    return out;
  }

  /** An epoch submitted, its metrics not yet read: at most one, submitted ahead of the step before's read-back. */
  private inFlight: Submitted | null = null;

  /** Writes step's uniform (Adam's bias corrections, the dropout seeds) and submits its commands. */
  private submit(step: number, seeds: DropoutSeeds): Submitted {
    const { beta1, beta2 } = this.shape;
    const hidden = hiddenLayerCount(this.shape);
    if (seeds.length !== hidden) throw new ShapeError('the dropout seeds of a webgpu epoch', `${hidden} (one per hidden layer)`, `${seeds.length}`);
    this.epochData.setFloat32(0, 1 / (1 - beta1 ** step), true);
    this.epochData.setFloat32(4, 1 / (1 - beta2 ** step), true);
    seeds.forEach((seed, i) => this.epochData.setUint32(16 + 4 * i, seed >>> 0, true));
    this.device.queue.writeBuffer(this.buffers.get('epoch')!, 0, this.epochData.buffer);
    if (this.pending?.step !== step) this.dropPending();
    const commands = this.pending?.commands ?? this.epochCommands(step);
    this.pending = null;
    this.device.queue.submit([commands]);
    const readback = this.readbackOf(step);
    const mapped = readback.mapAsync(1);
    // One that no call awaits (disposed while in flight) rejects quietly.
    mapped.catch(() => {});
    return { step, readback, mapped };
  }

  /** Consecutive steps copy their metrics into two read-back buffers in turn (one may be mapping while the next runs). */
  private readbackOf(step: number): GPUBuffer {
    return this.buffers.get(step % 2 ? 'readback' : 'readbackAhead')!;
  }

  /** Waits for an epoch submitted ahead that no call will read (a profile, the parameters' read, dispose). */
  private async settle(): Promise<void> {
    const left = this.inFlight;
    this.inFlight = null;
    if (!left) return;
    await left.mapped;
    left.readback.unmap();
  }

  /** One epoch's command buffer: its pass, then the metrics' copy into the read-back buffer. */
  private epochCommands(step: number): GPUCommandBuffer {
    const encoder = this.device.createCommandEncoder();
    this.encode(encoder);
    encoder.copyBufferToBuffer(this.buffers.get('scalars')!, 16, this.readbackOf(step), 0, 16);
    return encoder.finish();
  }

  /** The commands encoded ahead for the next step, unless another step comes: never submitted, so their Adam turn is given back. */
  private pending: { step: number; turnsBefore: number; commands: GPUCommandBuffer } | null = null;

  private dropPending(): void {
    if (this.pending) this.turns = this.pending.turnsBefore;
    this.pending = null;
  }

  /** Encodes the epoch's dispatches (`only`: just pass `only`, `times` times) into one compute pass. */
  private encode(encoder: GPUCommandEncoder, only?: number, times = 1, timestampWrites?: GPUComputePassTimestampWrites): void {
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
    const passes = only === undefined ? this.passes : Array<Pass>(times).fill(this.passes[only]);
    for (const p of passes) {
      pass.setPipeline(p.pipeline);
      // A pass with two bind groups takes them in turn, so each dispatch reads what the one before wrote.
      const turn = p.bindGroups.length > 1 ? this.turns++ % 2 : 0;
      pass.setBindGroup(0, p.bindGroups[turn]);
      pass.dispatchWorkgroups(p.groups[0], p.groups[1]);
    }
    pass.end();
  }

  /** Submits what `encode` adds, then the metrics' copy, and waits for the read-back: its wall time in ms. */
  private async timeSubmission(encode: (encoder: GPUCommandEncoder) => void): Promise<number> {
    const t0 = performance.now();
    const encoder = this.device.createCommandEncoder();
    encode(encoder);
    const readback = this.buffers.get('readback')!;
    encoder.copyBufferToBuffer(this.buffers.get('scalars')!, 16, readback, 0, 16);
    this.device.queue.submit([encoder.finish()]);
    await readback.mapAsync(1);
    readback.unmap();
    return performance.now() - t0;
  }

  /**
   * Where an epoch's time goes (for benchmarks; it trains on, so dispose after). By wall clock: each kernel
   * dispatched `repeats` times in one pass, as an epoch dispatches it (Dawn puts a barrier between dispatches that
   * write storage), submitted and read back, less an empty submission, per dispatch. Where the device has timestamp
   * queries, also each kernel's GPU time in a pass of its own, and a whole epoch's single pass.
   */
  async profile(repeats = 50): Promise<EpochProfile> {
    const median = async (f: () => Promise<number>) => {
      const xs: number[] = [];
      for (let i = 0; i < 7; i++) xs.push(await f());
      return xs.sort((a, b) => a - b)[3];
    };
    await this.settle();
    this.dropPending();
    const sequence = this.device.features.has('timestamp-query') ? await this.sequence() : undefined;
    // epoch() as train() calls it (each step but the last submitted ahead of the read-back before it), then each
    // step submitted only once the one before was read back.
    const calls = async (ahead: boolean) => {
      const ms: number[] = [];
      for (let k = 1; k <= SEQUENCE_EPOCHS; k++) {
        const t0 = performance.now();
        await this.epoch(k, () => Array<number>(hiddenLayerCount(this.shape)).fill(k), ahead && k < SEQUENCE_EPOCHS);
        ms.push(Number((performance.now() - t0).toFixed(4)));
      }
      this.dropPending();
      return ms;
    };
    const callsMs = await calls(true);
    const callsWaitingMs = await calls(false);
    // The host's part: encoding one epoch's commands (then dropped, their Adam turn given back).
    const encodeMs = await median(async () => {
      const turns = this.turns;
      const t0 = performance.now();
      this.epochCommands(1);
      const ms = performance.now() - t0;
      this.turns = turns;
      return ms;
    });
    const floorMs = await median(() => this.timeSubmission(() => {}));
    const epochMs = await median(() => this.timeSubmission((e) => this.encode(e)));
    // Ten epochs' dispatches in one submission: what a submission and its read-back cost beyond the GPU's work.
    const tenEpochsMs = await median(() => this.timeSubmission((e) => { for (let k = 0; k < 10; k++) this.encode(e); }));
    const kernels: EpochProfile['kernels'] = [];
    for (let i = 0; i < this.passes.length; i++) {
      const ms = await median(() => this.timeSubmission((e) => this.encode(e, i, repeats)));
      kernels.push({ name: this.passes[i].name, workgroups: this.passes[i].groups[0] * this.passes[i].groups[1], wallUs: (1000 * (ms - floorMs)) / repeats });
    }
    const profile: EpochProfile = { firstLayer: this.firstLayer, adjacencyRead: this.adjacencyRead, dispatchesPerEpoch: this.passes.length, passesPerEpoch: 1, floorMs, encodeMs, epochMs, callsMs, callsWaitingMs, tenEpochsMs, kernels, ...(sequence ? { sequence } : {}) };
    if (this.device.features.has('timestamp-query')) {
      const count = 2 * this.passes.length + 2;
      const querySet = this.device.createQuerySet({ type: 'timestamp', count });
      const resolved = this.device.createBuffer({ size: 8 * count, usage: QUERY_RESOLVE | COPY_SRC });
      const staging = this.device.createBuffer({ size: 8 * count, usage: MAP_READ | COPY_DST });
      const gpuNs: number[][] = [];
      for (let trial = 0; trial < 7; trial++) {
        const encoder = this.device.createCommandEncoder();
        this.passes.forEach((_, i) => this.encode(encoder, i, 1, { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 }));
        this.encode(encoder, undefined, 1, { querySet, beginningOfPassWriteIndex: count - 2, endOfPassWriteIndex: count - 1 });
        encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, staging, 0, 8 * count);
        this.device.queue.submit([encoder.finish()]);
        await staging.mapAsync(1);
        const t = new BigUint64Array(staging.getMappedRange().slice(0));
        staging.unmap();
        gpuNs.push(Array.from({ length: count / 2 }, (_, i) => Number(t[2 * i + 1] - t[2 * i])));
      }
      const mid = (i: number) => gpuNs.map((g) => g[i]).sort((a, b) => a - b)[3];
      kernels.forEach((k, i) => (k.gpuUs = mid(i) / 1000));
      profile.epochGpuUs = mid(count / 2 - 1) / 1000;
      querySet.destroy();
      resolved.destroy();
      staging.destroy();
    }
    return profile;
  }

  /** EpochProfile.sequence: epochs one submission each, with their wall and GPU times. */
  private async sequence(): Promise<NonNullable<EpochProfile['sequence']>> {
    const querySet = this.device.createQuerySet({ type: 'timestamp', count: 2 });
    const resolved = this.device.createBuffer({ size: 16, usage: QUERY_RESOLVE | COPY_SRC });
    const staging = this.device.createBuffer({ size: 16, usage: MAP_READ | COPY_DST });
    const readback = this.buffers.get('readback')!;
    const out = { wallMs: [] as number[], gpuUs: [] as number[] };
    for (let k = 0; k < SEQUENCE_EPOCHS; k++) {
      const t0 = performance.now();
      const encoder = this.device.createCommandEncoder();
      this.encode(encoder, undefined, 1, { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
      encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
      encoder.copyBufferToBuffer(resolved, 0, staging, 0, 16);
      encoder.copyBufferToBuffer(this.buffers.get('scalars')!, 16, readback, 0, 16);
      this.device.queue.submit([encoder.finish()]);
      await Promise.all([readback.mapAsync(1), staging.mapAsync(1)]);
      out.wallMs.push(Number((performance.now() - t0).toFixed(4)));
      const t = new BigUint64Array(staging.getMappedRange().slice(0));
      out.gpuUs.push(Number(t[1] - t[0]) / 1000);
      staging.unmap();
      readback.unmap();
    }
    querySet.destroy();
    resolved.destroy();
    staging.destroy();
    return out;
  }

  /** The current parameters (the model's flat order, after every step submitted), read back. */
  async parameters(): Promise<Float32Array> {
    await this.settle();
    const bytes = 4 * this.parameterCount;
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 16) * 16, usage: MAP_READ | COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.buffers.get('params')!, 0, staging, 0, staging.size);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(1);
    const out = new Float32Array(staging.getMappedRange(0, staging.size).slice(0, bytes));
    staging.unmap();
    staging.destroy();
    return out;
  }

  dispose(): void {
    this.pending = null;
    this.inFlight = null;
    for (const b of new Set(this.buffers.values())) b.destroy();
    this.buffers.clear();
    this.passes = [];
  }
}

/** Throws ShapeError where the graph's arrays are not in the layouts and sizes the shape names. */
function checkGraph(shape: EpochShape, graph: EpochGraph): void {
  const n = shape.nodes;
  const layout = (m: CsrMatrix | Float32Array) => (m instanceof CsrMatrix ? 'sparse' : 'dense');
  for (const [what, m, want, cols] of [['features', graph.features, shape.features, shape.layers[0].inputs], ['adjacency', graph.adjacency, shape.adjacency, n]] as const) {
    // A dense A may come as a CsrMatrix of its entries (see EpochGraph); readAdjacency reads it.
    const accepted = layout(m) === want || (what === 'adjacency' && m instanceof CsrMatrix);
    if (!accepted) throw new ShapeError(`the graph's ${what} given to the webgpu epochs`, `${want} (as the epoch shape says)`, layout(m));
    const size = m instanceof CsrMatrix ? `${m.rows}x${m.cols}` : `${m.length} floats`;
    const fits = m instanceof CsrMatrix ? m.rows === n && m.cols === cols : m.length === n * cols;
    if (!fits) throw new ShapeError(`the graph's ${what} given to the webgpu epochs`, `${n}x${cols}`, size);
  }
}

/** A CSR's row pointers with `tail` after them, in one buffer (one binding fewer for a kernel with 8). */
function pointersThen(rowPtr: Int32Array, tail: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rowPtr.length + tail.length);
  out.set(rowPtr);
  out.set(tail, rowPtr.length);
  return out;
}

/** Rows of `cols` floats padded with zeros to quadsOf(cols) vec4s each, as the shaders read a dense A and X^T. */
function paddedRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const stride = 4 * quadsOf(cols);
  if (stride === cols) return data;
  const out = new Float32Array(rows * stride);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols, (r + 1) * cols), r * stride);
  return out;
}
