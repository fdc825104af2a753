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

export interface Counts {
  runs: number;
  epochs: number;
  warmup: number;
}

/** The article's protocol: hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3. */
const HYPER = { hidden: 16, dropout: 0.5, lr: 0.01, weightDecay: 5e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** What one A @ H (n x width, CSR) must move: row pointers, indices and values, a gathered row per non-zero, the output. */
export function spmmBytes(nodes: number, nonZeros: number, width: number): number {
  return 4 * (nodes + 1) + 8 * nonZeros + 4 * width * (nonZeros + nodes);
}

/** gcnlab webgpu on `graph`: warm-up, then runs x epochs of train(); `layers` GCN layers (nbLayers = layers - 1). */
export async function gcnlabRow(graph: Graph, adjacency: 'sparse' | 'dense', tape: boolean, layers: number, counts: Counts) {
  const memory = new GpuMemorySampler();
  const sampling = memory.start();
  const g = toDevice(graph, { adjacency });
  const model = (seed: number) => new GCN({ xDim: graph.numFeatures, hDim: HYPER.hidden, outDim: graph.numClasses, nbLayers: layers - 1, dropout: HYPER.dropout, seed });
  const hyper = { lr: HYPER.lr, weightDecay: HYPER.weightDecay, fusedEpochs: !tape };
  const warm = model(1000);
  await train(warm, g, { ...hyper, epochs: counts.warmup });
  warm.dispose();
  const times: number[] = [];
  const accuracies: number[] = [];
  let first: number[] = [];
  for (let run = 0; run < counts.runs; run++) {
    const gcn = model(run);
    const result = await train(gcn, g, { ...hyper, epochs: counts.epochs });
    gcn.dispose();
    times.push(...result.history.map((e) => e.epochMs));
    accuracies.push(result.testAccuracy);
    if (run === 0) first = [result.history[0].trainLoss, result.history[0].valLoss, result.history[0].valAccuracy];
  }
  g.dispose();
  const peak = sampling ? await memory.stop() : undefined;
  const stats = timingStats(times);
  return {
    impl: 'gcnlab',
    // The fused epochs take the 2-layer GCN; train() runs other depths through tfjs's tape.
    engine: !tape && layers === 2 ? 'webgpu-fused' : 'webgpu-tape',
    device: 'webgpu',
    adjacency,
    features: 'sparse',
    layers,
    msPerEpoch: stats.meanMs,
    medianMs: stats.medianMs,
    minMs: stats.minMs,
    runs: counts.runs,
    epochs: counts.epochs,
    testAccuracy: accuracies.reduce((s, x) => s + x, 0) / accuracies.length,
    firstMetrics: first,
    peakGpuMbSmi: peak,
    version: `node ${process.versions.node}`,
    nodes: graph.numNodes,
    adjacencyNonZeros: graph.adjacency.nnz,
  };
}

/** The fused epochs of the 2-layer GCN on `graph`, made as train() makes them, profiled, with their GPU bytes. */
export async function epochProfile(graph: Graph, adjacency: 'sparse' | 'dense'): Promise<EpochProfile & { allocatedBytes: number; spmm: object[] }> {
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const model = new GCN({ xDim: graph.numFeatures, hDim: HYPER.hidden, outDim: graph.numClasses, dropout: HYPER.dropout, seed: 0 });
  const values = await Promise.all(model.parameters().map((p) => p.data() as Promise<Float32Array>));
  const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  values.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
  model.dispose();
  let dense: Float32Array | null = null;
  if (adjacency === 'dense') {
    const g = toDevice(graph, { adjacency });
    dense = (await (g.adj as tf.Tensor).data()) as Float32Array;
    g.dispose();
  }
  const { hidden, ...rest } = HYPER;
  const layers = [
    { inputs: graph.numFeatures, outputs: hidden, bias: true },
    { inputs: hidden, outputs: graph.numClasses, bias: true },
  ];
  const runner = await WebGpuEpochs.create(
    device,
    { ...rest, nodes: graph.numNodes, layers, features: 'sparse', adjacency },
    { features: graph.features, adjacency: dense ?? graph.adjacency, labels: graph.labels, trainMask: graph.trainMask, valMask: graph.valMask },
    flat,
  );
  try {
    for (let step = 1; step <= 5; step++) await runner.epoch(step, [step]);
    const profile = await runner.profile();
    // The sparse products' achieved bandwidth: the bytes each must move over its time (GPU time where measured).
    const widths: Record<string, number> = { propagate1ReluDropout: hidden, propagate2: graph.numClasses, propagate2Grad: graph.numClasses, propagate1Grad: hidden };
    const spmm = adjacency === 'dense' ? [] : profile.kernels.filter((k) => k.name in widths).map((k) => {
      const bytes = spmmBytes(graph.numNodes, graph.adjacency.nnz, widths[k.name]);
      const us = k.gpuUs && k.gpuUs > 0 ? k.gpuUs : k.wallUs;
      return { name: k.name, width: widths[k.name], bytes, us, timedBy: us === k.gpuUs ? 'timestamps' : 'wall clock', GBps: bytes / us / 1000 };
    });
    return { ...profile, allocatedBytes: runner.allocatedBytes, spmm };
  } finally {
    runner.dispose();
  }
}

/** bench/gpu-peers.py on the graph exported to `dataDir`; its rows, each with the nvidia-smi peak of its process. */
export async function peerRows(python: string, dataDir: string, impls: string, layers: number, counts: Counts, log: (...a: unknown[]) => void): Promise<Record<string, unknown>[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'gpu-peers.py'), join(here, '..', 'bench', 'gpu-peers.py')].find((p) => existsSync(p))!;
  const rows: Record<string, unknown>[] = [];
  // One process per implementation: each its own peak memory, and one failing leaves the others standing.
  for (const impl of impls.split(',').filter(Boolean)) {
    const memory = new GpuMemorySampler();
    const sampling = memory.start();
    const args = [script, '--data', dataDir, '--impls', impl, '--layers', String(layers - 1), '--runs', String(counts.runs), '--epochs', String(counts.epochs), '--warmup', String(counts.warmup)];
    const r = await run(python, args);
    const peak = sampling ? await memory.stop() : undefined;
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
    if (!lines.length) log(`${impl} (${layers} layers) gave no row (exit ${r.status}):`, r.stderr.trim().split('\n').slice(-6).join(' | '));
    for (const line of lines) {
      const row = { ...JSON.parse(line), peakGpuMbSmi: peak };
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
