// One gcnlab row of the peer benchmark, in a process of its own (clean peak RSS): a device, a model (its GCN layers,
// the layouts of X and A, Cora's split), warm-up, then runs x epochs; prints the row, with the engine that ran, as one
// JSON line.
import { parseArgs } from 'node:util';
import { GCN, loadCora, syntheticGraph, timingStats, toDevice, train, useDevice, type AdjacencyMode, type EpochEngine, type Graph, type SyntheticOptions } from '../src/index.js';

export interface RowOptions {
  device: string;
  adjacency: AdjacencyMode;
  /** Layout of the features (default sparse). */
  features?: AdjacencyMode;
  /** Hidden layers, as GCN's nbLayers (default 1: two GCN layers; the article's code has 2). */
  nbLayers?: number;
  /** Cora's split: 'planetoid' (the public split, default) or 'linqs' (the article's files and split). */
  split?: 'planetoid' | 'linqs';
  /** Feed the raw 0/1 features, as the article's code does (default: rows scaled to sum 1). */
  rawFeatures?: boolean;
  runs: number;
  epochs: number;
  warmup: number;
  /** Train through tfjs's tape kernel by kernel even where whole fused epochs apply. */
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
  /** Hidden layers (GCN's nbLayers): the model has nbLayers + 1 GCN layers. */
  nbLayers: number;
  split: 'planetoid' | 'linqs' | 'synthetic';
  rawFeatures: boolean;
  /** The engine that ran the epochs (RunSummary.engine): a fused whole-epoch engine, or tfjs's tape. */
  engine: EpochEngine;
  /** Where the tape ran: why (RunSummary.tapeReason). */
  tapeReason?: string;
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

/** The article's protocol: hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3 (Cora's public split by default). */
export async function gcnlabRow(options: RowOptions): Promise<GcnlabRow> {
  const info = await useDevice(options.device);
  const split = options.synthetic ? 'synthetic' : (options.split ?? 'planetoid');
  const rawFeatures = options.rawFeatures ?? false;
  const features = options.features ?? 'sparse';
  const nbLayers = options.nbLayers ?? 1;
  const graph: Graph = options.synthetic
    ? syntheticGraph({ ...options.synthetic, seed: 0 })
    : await loadCora({ format: split === 'linqs' ? 'linqs' : 'planetoid', normalizeFeatures: !rawFeatures });
  const g = toDevice(graph, { adjacency: options.adjacency, features });
  const hyper = { lr: 0.01, weightDecay: 5e-3, fusedEpochs: !options.tape };
  const model = (seed: number) => new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, nbLayers, dropout: 0.5, seed });
  const warm = model(1000);
  await train(warm, g, { ...hyper, epochs: options.warmup });
  warm.dispose();
  const times: number[] = [];
  const accuracies: number[] = [];
  let threads = 1;
  let engine: EpochEngine = 'tape';
  let tapeReason: string | undefined;
  for (let run = 0; run < options.runs; run++) {
    const gcn = model(run);
    const result = await train(gcn, g, { ...hyper, epochs: options.epochs });
    gcn.dispose();
    times.push(...result.history.map((e) => e.epochMs));
    accuracies.push(result.testAccuracy);
    ({ threads, engine, tapeReason } = result);
  }
  g.dispose();
  const stats = timingStats(times);
  return {
    impl: 'gcnlab',
    device: options.device,
    runsOn: info.runsOn ?? '',
    adjacency: options.adjacency,
    features,
    nbLayers,
    split,
    rawFeatures,
    engine,
    ...(tapeReason === undefined ? {} : { tapeReason }),
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
      // --features is the synthetic graph's feature count (bench/scaling.ts); the layout of X is --feature-layout.
      'feature-layout': { type: 'string', default: 'sparse' },
      'nb-layers': { type: 'string', default: '1' },
      split: { type: 'string', default: 'planetoid' },
      'raw-features': { type: 'boolean', default: false },
      tape: { type: 'boolean', default: false },
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
    features: values['feature-layout'] as AdjacencyMode,
    nbLayers: Number(values['nb-layers']),
    split: values.split as 'planetoid' | 'linqs',
    rawFeatures: values['raw-features'],
    tape: values.tape,
    runs: Number(values.runs),
    epochs: Number(values.epochs),
    warmup: Number(values.warmup),
    synthetic: values.synthetic
      ? { nodes: Number(values.synthetic), avgDegree: Number(values.degree), features: Number(values.features), locality: values.locality as SyntheticOptions['locality'] }
      : undefined,
  });
  console.log(JSON.stringify(row));
}
