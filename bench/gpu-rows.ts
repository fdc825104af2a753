// The rows of bench/gpu.ts: gcnlab webgpu trained through train() in this process, where its fused epochs' time goes
// (WebGpuEpochs.profile on the same graph), and the peers of bench/gpu-peers.py in a process of their own.
import * as tf from '@tensorflow/tfjs-core';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GCN, timingStats, toDevice, train, type Graph } from '../src/index.js';
import { WebGpuEpochs, type EpochProfile } from '../src/epochs/index.js';
import { GpuMemorySampler } from './gpu-memory.js';
import { smClock } from './gpu-clocks.js';

export interface Counts {
  runs: number;
  epochs: number;
  warmup: number;
  /**
   * gcnlab's warm-up epochs also at the start of each timed train() call, left out of its times. Each call makes its
   * epochs anew (the graph uploaded, the kernels compiled), and the GPU idles meanwhile: at 10^6 nodes its first ~28
   * epochs then ran at 8.8 ms of GPU time and the rest at 2.6 ms, the same work (the profile in
   * gpu-scaling-2026-12-02-h200-1e6-fc535a6.json), so ten epochs after a separate warm-up timed that slow start (the
   * GPU's clocks, most likely). The peers warm up on the device their timed runs use, with no such gap.
   */
  warmupInRun?: boolean;
}

/** The article's protocol: hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3. */
const HYPER = { hidden: 16, dropout: 0.5, lr: 0.01, weightDecay: 5e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** What one A @ H (n x width, CSR) must move: row pointers, indices and values, a gathered row per non-zero, the output. */
export function spmmBytes(nodes: number, nonZeros: number, width: number): number {
  return 4 * (nodes + 1) + 8 * nonZeros + 4 * width * (nonZeros + nodes);
}

/** Which gcnlab model a row trains: `layers` GCN layers (nbLayers = layers - 1), X and A in these layouts. */
export interface ModelRow {
  layers: number;
  features: 'sparse' | 'dense';
  adjacency: 'sparse' | 'dense';
  /** Through tfjs's tape (fusedEpochs: false) instead of the fused epochs. */
  tape: boolean;
}

const newModel = (graph: Graph, layers: number, seed: number) =>
  new GCN({ xDim: graph.numFeatures, hDim: HYPER.hidden, outDim: graph.numClasses, nbLayers: layers - 1, dropout: HYPER.dropout, seed });

/** gcnlab webgpu on `graph`: warm-up, then runs x epochs of train(); the row names the engine that ran (RunSummary's). */
/**
 * Epochs timed without nvidia-smi beside them, which slows Dawn's epochs (gpu-scaling-2026-12-02-h200-sampler.json:
 * 3.3 ms an epoch at 10^6 nodes, 15.8 ms sampled every 20 ms); the peak GPU memory from a short run of its own.
 */
export const MEMORY_COUNTS: Counts = { runs: 1, epochs: 3, warmup: 1 };

/** gcnlab webgpu on `graph`: warm-up, then runs x epochs of train(), unsampled; then the peak memory of MEMORY_COUNTS. */
export async function gcnlabRow(graph: Graph, model: ModelRow, counts: Counts) {
  const timed = await gcnlabTimes(graph, model, counts, false);
  const { peakGpuMbSmi } = await gcnlabTimes(graph, model, MEMORY_COUNTS, true);
  return { ...timed, peakGpuMbSmi, memoryFrom: `a ${MEMORY_COUNTS.epochs}-epoch run sampled by nvidia-smi every 20 ms` };
}

async function gcnlabTimes(graph: Graph, { layers, features, adjacency, tape }: ModelRow, counts: Counts, sampleMemory: boolean) {
  const memory = new GpuMemorySampler();
  const sampling = sampleMemory && memory.start();
  const g = toDevice(graph, { features, adjacency });
  const hyper = { lr: HYPER.lr, weightDecay: HYPER.weightDecay, fusedEpochs: !tape };
  const warm = newModel(graph, layers, 1000);
  await train(warm, g, { ...hyper, epochs: counts.warmup });
  warm.dispose();
  const times: number[] = [];
  const accuracies: number[] = [];
  let first: number[] = [];
  let engine = '';
  let tapeReason: string | undefined;
  let warmupInRunEpochMs: number[] | undefined;
  // Read just outside the timed runs (a reading takes tens of ms, and a sampler beside the epochs slows them).
  const clockBefore = sampleMemory ? undefined : smClock();
  for (let run = 0; run < counts.runs; run++) {
    const gcn = newModel(graph, layers, run);
    const skipped = counts.warmupInRun ? counts.warmup : 0;
    const result = await train(gcn, g, { ...hyper, epochs: skipped + counts.epochs });
    gcn.dispose();
    const warmed = result.history.splice(0, skipped);
    if (run === 0 && skipped) warmupInRunEpochMs = warmed.map((e) => Number(e.epochMs.toFixed(3)));
    times.push(...result.history.map((e) => e.epochMs));
    accuracies.push(result.testAccuracy);
    if (run === 0) [first, engine, tapeReason] = [[result.history[0].trainLoss, result.history[0].valLoss, result.history[0].valAccuracy], result.engine, result.tapeReason];
  }
  const clockAfter = sampleMemory ? undefined : smClock();
  g.dispose();
  const peak = sampling ? await memory.stop() : undefined;
  const stats = timingStats(times);
  return {
    impl: 'gcnlab',
    engine: engine === 'fused-webgpu' ? 'webgpu-fused' : 'webgpu-tape',
    ...(tapeReason ? { tapeReason } : {}),
    device: 'webgpu',
    adjacency,
    features,
    layers,
    msPerEpoch: stats.meanMs,
    medianMs: stats.medianMs,
    minMs: stats.minMs,
    runs: counts.runs,
    epochs: counts.epochs,
    testAccuracy: accuracies.reduce((s, x) => s + x, 0) / accuracies.length,
    firstMetrics: first,
    peakGpuMbSmi: peak,
    /** The first run's epochs in order: a slow start or a steady cost tell apart. */
    firstRunEpochMs: times.slice(0, counts.epochs).map((t) => Number(t.toFixed(3))),
    /** The first run's warm-up epochs, left out of its times (Counts.warmupInRun). */
    ...(warmupInRunEpochMs ? { warmupInRunEpochMs } : {}),
    ...(clockBefore && clockAfter ? { smClock: { before: clockBefore, after: clockAfter } } : {}),
    version: `node ${process.versions.node}`,
    nodes: graph.numNodes,
    adjacencyNonZeros: graph.adjacency.nnz,
  };
}

/**
 * The fused epochs of a `layers`-layer GCN on `graph`, made as train() makes them, profiled, with their GPU bytes.
 * `graphKept`: the graph's tfjs tensors stay on the device while profiling, as they do while train() runs.
 */
export async function epochProfile(graph: Graph, { layers: depth, features, adjacency }: Omit<ModelRow, 'tape'>, graphKept = false): Promise<EpochProfile & { allocatedBytes: number; spmm: object[] }> {
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const model = newModel(graph, depth, 0);
  const values = await Promise.all(model.parameters().map((p) => p.data() as Promise<Float32Array>));
  const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  values.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
  const layers = model.gcnLayers.map(({ linear: l }) => ({ inputs: l.inFeatures, outputs: l.outFeatures, bias: l.bias !== null }));
  model.dispose();
  const g = toDevice(graph, { features, adjacency });
  const dense = async (m: unknown) => (await (m as tf.Tensor).data()) as Float32Array;
  const epochGraph = {
    features: features === 'dense' ? await dense(g.x) : graph.features,
    adjacency: graph.adjacency, // a dense A as the CSR it was made from, as train() hands it (see fused-epochs.ts)
    labels: graph.labels,
    trainMask: graph.trainMask,
    valMask: graph.valMask,
  };
  if (!graphKept) g.dispose();
  const { hidden: _, ...hyper } = HYPER;
  const runner = await WebGpuEpochs.create(device, { ...hyper, nodes: graph.numNodes, layers, features, adjacency }, epochGraph, flat);
  try {
    const seeds = Array.from({ length: depth - 1 }, (_, i) => i);
    for (let step = 1; step <= 5; step++) await runner.epoch(step, () => seeds);
    const profile = await runner.profile();
    // The sparse products' achieved bandwidth: the bytes each must move over its time (GPU time where measured).
    // propagate<k> and propagate<k>Grad are layer k's A products, as wide as its outputs (those that also compute what
    // follows their rows, ...TimesW<k+1>, ...AndLoss, ...AndHiddenGrad, ...AndLayer<j>Grads, are not the product alone).
    const widthOf = (name: string) => {
      const k = /^propagate(\d+)(ReluDropout|Grad)?$/.exec(name);
      return k ? layers[Number(k[1]) - 1].outputs : null;
    };
    const spmm = profile.adjacencyRead.readAs === 'dense' ? [] : profile.kernels.filter((k) => widthOf(k.name) !== null).map((k) => {
      const width = widthOf(k.name)!;
      const bytes = spmmBytes(graph.numNodes, graph.adjacency.nnz, width);
      const us = k.gpuUs && k.gpuUs > 0 ? k.gpuUs : k.wallUs;
      return { name: k.name, width, bytes, us, timedBy: us === k.gpuUs ? 'timestamps' : 'wall clock', GBps: bytes / us / 1000 };
    });
    return { ...profile, allocatedBytes: runner.allocatedBytes, spmm };
  } finally {
    runner.dispose();
    if (graphKept) g.dispose();
  }
}

/** bench/gpu-peers.py on the graph exported to `dataDir`; its rows, each with the nvidia-smi peak of its process. */
export async function peerRows(python: string, dataDir: string, impls: string, layers: number, counts: Counts, log: (...a: unknown[]) => void, withMemory = true): Promise<Record<string, unknown>[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'gpu-peers.py'), join(here, '..', 'bench', 'gpu-peers.py')].find((p) => existsSync(p))!;
  const rows: Record<string, unknown>[] = [];
  // One process per implementation: each its own peak memory, and one failing leaves the others standing.
  const once = async (impl: string, c: Counts, sampleMemory: boolean) => {
    const memory = new GpuMemorySampler();
    const sampling = sampleMemory && memory.start();
    const args = [script, '--data', dataDir, '--impls', impl, '--layers', String(layers - 1), '--runs', String(c.runs), '--epochs', String(c.epochs), '--warmup', String(c.warmup)];
    const r = await run(python, args);
    const peak = sampling ? await memory.stop() : undefined;
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
    if (!lines.length) log(`${impl} (${layers} layers) gave no row (exit ${r.status}):`, r.stderr.trim().split('\n').slice(-6).join(' | '));
    return { rows: lines.map((l) => JSON.parse(l) as Record<string, unknown>), peak };
  };
  // Timed without nvidia-smi, as gcnlab's rows are; the peak from a short sampled run of the same process (unless
  // `withMemory` is false: --rounds, which times only).
  for (const impl of impls.split(',').filter(Boolean)) {
    const timed = await once(impl, counts, false);
    const { peak } = withMemory && timed.rows.length ? await once(impl, MEMORY_COUNTS, true) : { peak: undefined };
    for (const r of timed.rows) {
      const row = withMemory ? { ...r, peakGpuMbSmi: peak, memoryFrom: `a ${MEMORY_COUNTS.epochs}-epoch run sampled by nvidia-smi every 20 ms` } : r;
      log(JSON.stringify(row));
      rows.push(row);
    }
  }
  return rows;
}

/** Runs a command to its end without blocking this process (the memory sampler reads on meanwhile). */
function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20000)));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: String(error) }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
