// One gcnlab row of the peer benchmark, in a process of its own (clean peak RSS): a device, an adjacency mode,
// warm-up, then runs x epochs; prints the row as one JSON line.
import { parseArgs } from 'node:util';
import { GCN, loadCora, syntheticGraph, timingStats, toDevice, train, useDevice, type AdjacencyMode, type Graph, type SyntheticOptions } from '../src/index.js';

export interface RowOptions {
  device: string;
  adjacency: AdjacencyMode;
  runs: number;
  epochs: number;
  warmup: number;
  /** Train through tfjs's tape kernel by kernel even where whole fused epochs apply (webgpu). */
  tape?: boolean;
  /** A synthetic graph (bench/scaling.ts) instead of Cora: its node count, mean degree and feature count, seed 0. */
  synthetic?: { nodes: number; avgDegree: number; features: number; locality?: SyntheticOptions['locality'] };
}

export interface GcnlabRow {
  impl: 'gcnlab';
  device: string;
  runsOn: string;
  adjacency: AdjacencyMode;
  features: AdjacencyMode;
  /** 'fused': whole epochs without tfjs's engine (cpu, wasm, webgpu); 'tape': tfjs's autodiff, kernel by kernel. */
  engine: 'fused' | 'tape';
  threads: number;
  msPerEpoch: number;
  medianMs: number;
  minMs: number;
  runs: number;
  epochs: number;
  testAccuracy: number;
  peakRssMb: number;
  version: string;
  /** The graph trained on: its nodes and adjacency non-zeros (self loops included). */
  nodes: number;
  adjacencyNonZeros: number;
}

/** The article's protocol: hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3, Cora's public split. */
export async function gcnlabRow(options: RowOptions): Promise<GcnlabRow> {
  const info = await useDevice(options.device);
  const graph: Graph = options.synthetic ? syntheticGraph({ ...options.synthetic, seed: 0 }) : await loadCora();
  const g = toDevice(graph, { adjacency: options.adjacency });
  const hyper = { lr: 0.01, weightDecay: 5e-3, fusedEpochs: !options.tape };
  const model = (seed: number) => new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, dropout: 0.5, seed });
  const warm = model(1000);
  await train(warm, g, { ...hyper, epochs: options.warmup });
  warm.dispose();
  const times: number[] = [];
  const accuracies: number[] = [];
  let threads = 1;
  for (let run = 0; run < options.runs; run++) {
    const gcn = model(run);
    const result = await train(gcn, g, { ...hyper, epochs: options.epochs });
    gcn.dispose();
    times.push(...result.history.map((e) => e.epochMs));
    accuracies.push(result.testAccuracy);
    threads = result.threads;
  }
  g.dispose();
  const stats = timingStats(times);
  return {
    impl: 'gcnlab',
    device: options.device,
    runsOn: info.runsOn ?? '',
    adjacency: options.adjacency,
    features: 'sparse',
    engine: !options.tape && ['cpu', 'wasm', 'webgpu'].includes(options.device) ? 'fused' : 'tape',
    threads,
    msPerEpoch: stats.meanMs,
    medianMs: stats.medianMs,
    minMs: stats.minMs,
    runs: options.runs,
    epochs: options.epochs,
    testAccuracy: accuracies.reduce((s, x) => s + x, 0) / accuracies.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    version: `node ${process.versions.node}`,
    nodes: graph.numNodes,
    adjacencyNonZeros: graph.adjacency.nnz,
  };
}

if (process.argv[1]?.endsWith('gcnlab-row.ts')) {
  const { values } = parseArgs({
    options: {
      device: { type: 'string' },
      adjacency: { type: 'string', default: 'sparse' },
      runs: { type: 'string', default: '5' },
      epochs: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '20' },
      synthetic: { type: 'string' },
      degree: { type: 'string', default: '10' },
      features: { type: 'string', default: '128' },
      locality: { type: 'string', default: 'random' },
    },
  });
  const row = await gcnlabRow({
    device: values.device ?? 'cpu',
    adjacency: values.adjacency as AdjacencyMode,
    runs: Number(values.runs),
    epochs: Number(values.epochs),
    warmup: Number(values.warmup),
    synthetic: values.synthetic
      ? { nodes: Number(values.synthetic), avgDegree: Number(values.degree), features: Number(values.features), locality: values.locality as SyntheticOptions['locality'] }
      : undefined,
  });
  console.log(JSON.stringify(row));
}
