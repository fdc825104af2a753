// Run by webgpu-swiftshader.test.ts in a child process whose Vulkan loader sees only SwiftShader (a CPU Vulkan
// driver that Debian's chromium ships): trains one model on the cpu device and on webgpu, each fused, and prints the
// two runs as one JSON line. A child, so that a Dawn that stops answering costs one timeout, not the whole suite.
import { CsrMatrix, GCN, listDevices, syntheticGraph, toDevice, train, useDevice, type Graph } from '../../src/index.js';

type Layout = 'sparse' | 'dense';

export interface SwiftShaderRequest {
  graph: { nodes: number; features: number; avgDegree: number; seed: number; featuresPerNode?: number };
  /** Every feature of every node set (values in (0, 1], each row summing to 1): no zero for a dense scan to skip. */
  fullFeatures?: boolean;
  model: { nbLayers: number; hDim: number; bias: boolean };
  features: Layout;
  adjacency: Layout;
  epochs: number;
  /** train()'s patience (none: every epoch runs). */
  patience?: number;
  /** GCNLAB_WEBGPU_PROPAGATED_FEATURES for the webgpu run (unset: on). */
  propagatedFeatures?: 'on' | 'off';
  /** GCNLAB_WEBGPU_SPARSE_ADJACENCY for the webgpu run (unset: on, a dense A that is mostly zeros read as CSR). */
  sparseAdjacency?: 'on' | 'off';
}

export interface SwiftShaderRun {
  device: string;
  engine: string;
  tapeReason?: string;
  /** How webgpu's A products read A (RunSummary.adjacencyRead; none on cpu). */
  adjacencyRead?: { given: string; readAs: string; keptBecause?: string };
  history: { trainLoss: number; valLoss: number; valAccuracy: number }[];
  stoppedEarly: boolean;
  testAccuracy: number;
  params: number[][];
}

export type SwiftShaderAnswer = { unavailable: string } | { adapter: Record<string, string | number | boolean>; runs: SwiftShaderRun[] };

/** graph's nodes x features, every entry set: row i's entry j is (1 + (i * 7 + j) % 13) / 13, rows summing to 1. */
function fullFeatures(graph: Graph): CsrMatrix {
  const [n, f] = [graph.numNodes, graph.numFeatures];
  const values = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < f; j++) sum += values[i * f + j] = (1 + ((i * 7 + j) % 13)) / 13;
    for (let j = 0; j < f; j++) values[i * f + j] /= sum;
  }
  return CsrMatrix.fromDense(n, f, values);
}

async function answer(request: SwiftShaderRequest): Promise<SwiftShaderAnswer> {
  const webgpu = (await listDevices()).find((d) => d.name === 'webgpu')!;
  if (!webgpu.available) return { unavailable: `the webgpu device is unavailable on SwiftShader: ${webgpu.reason}` };
  const synthetic = syntheticGraph(request.graph);
  const graph = request.fullFeatures ? { ...synthetic, features: fullFeatures(synthetic) } : synthetic;
  const runs: SwiftShaderRun[] = [];
  if (request.propagatedFeatures) process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES = request.propagatedFeatures;
  if (request.sparseAdjacency) process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY = request.sparseAdjacency;
  for (const device of ['cpu', 'webgpu']) {
    await useDevice(device);
    const g = toDevice(graph, { features: request.features, adjacency: request.adjacency });
    const gcn = new GCN({ xDim: graph.numFeatures, outDim: graph.numClasses, dropout: 0.5, seed: 5, ...request.model });
    const result = await train(gcn, g, { epochs: request.epochs, patience: request.patience });
    runs.push({
      device,
      engine: result.engine,
      tapeReason: result.tapeReason,
      adjacencyRead: result.adjacencyRead,
      history: result.history.map(({ trainLoss, valLoss, valAccuracy }) => ({ trainLoss, valLoss, valAccuracy })),
      stoppedEarly: result.stoppedEarly,
      testAccuracy: result.testAccuracy,
      params: await Promise.all(gcn.parameters().map(async (p) => Array.from(await p.data()))),
    });
    gcn.dispose();
    g.dispose();
  }
  return { adapter: webgpu.details, runs };
}

const request = JSON.parse(process.argv[2]) as SwiftShaderRequest;
// Exit once the line is flushed: a long answer (a wide model's parameters) outlasts one write to the pipe.
process.stdout.write(`${JSON.stringify(await answer(request))}\n`, () => process.exit(0));
