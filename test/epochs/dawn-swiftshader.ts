// Run by webgpu-swiftshader.test.ts in a child process whose Vulkan loader sees only SwiftShader (a CPU Vulkan
// driver that Debian's chromium ships): trains one model on the cpu device and on webgpu, each fused, and prints the
// two runs as one JSON line. A child, so that a Dawn that stops answering costs one timeout, not the whole suite.
import { GCN, listDevices, syntheticGraph, toDevice, train, useDevice } from '../../src/index.js';

type Layout = 'sparse' | 'dense';

export interface SwiftShaderRequest {
  graph: { nodes: number; features: number; avgDegree: number; seed: number };
  model: { nbLayers: number; hDim: number; bias: boolean };
  features: Layout;
  adjacency: Layout;
  epochs: number;
}

export interface SwiftShaderRun {
  device: string;
  engine: string;
  tapeReason?: string;
  history: { trainLoss: number; valLoss: number; valAccuracy: number }[];
  testAccuracy: number;
  params: number[][];
}

export type SwiftShaderAnswer = { unavailable: string } | { adapter: Record<string, string | number | boolean>; runs: SwiftShaderRun[] };

async function answer(request: SwiftShaderRequest): Promise<SwiftShaderAnswer> {
  const webgpu = (await listDevices()).find((d) => d.name === 'webgpu')!;
  if (!webgpu.available) return { unavailable: `the webgpu device is unavailable on SwiftShader: ${webgpu.reason}` };
  const graph = syntheticGraph(request.graph);
  const runs: SwiftShaderRun[] = [];
  for (const device of ['cpu', 'webgpu']) {
    await useDevice(device);
    const g = toDevice(graph, { features: request.features, adjacency: request.adjacency });
    const gcn = new GCN({ xDim: graph.numFeatures, outDim: graph.numClasses, dropout: 0.5, seed: 5, ...request.model });
    const result = await train(gcn, g, { epochs: request.epochs });
    runs.push({
      device,
      engine: result.engine,
      tapeReason: result.tapeReason,
      history: result.history.map(({ trainLoss, valLoss, valAccuracy }) => ({ trainLoss, valLoss, valAccuracy })),
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
