// bench/gpu.ts --shapes: every GCN the API builds, fused on the GPU machine's webgpu, against the same model on the
// cpu device's fused engine and on webgpu through tfjs's tape (the same seed, so the same dropout masks). 1, 2 and 3
// layers, bias on and off, hidden widths 16 and 100 (column blocks past 64), X and A sparse or dense, on Cora.
import { GCN, toDevice, train, useDevice, type Graph } from '../src/index.js';

export interface ShapeCase {
  layers: number;
  bias: boolean;
  hDim: number;
  features: 'sparse' | 'dense';
  adjacency: 'sparse' | 'dense';
}

interface Trained {
  engine: string;
  losses: number[];
  params: number[][];
  testAccuracy: number;
}

/** The grid: every depth and bias with sparse X and A, then the wide layer and the dense layouts on two depths. */
export function shapeCases(): ShapeCase[] {
  const cases: ShapeCase[] = [];
  for (const layers of [1, 2, 3]) for (const bias of [true, false]) cases.push({ layers, bias, hDim: 16, features: 'sparse', adjacency: 'sparse' });
  for (const layers of [2, 3]) {
    cases.push({ layers, bias: true, hDim: 100, features: 'sparse', adjacency: 'sparse' });
    cases.push({ layers, bias: true, hDim: 16, features: 'dense', adjacency: 'dense' });
    cases.push({ layers, bias: false, hDim: 16, features: 'sparse', adjacency: 'dense' });
  }
  return cases;
}

async function trainOn(device: string, graph: Graph, c: ShapeCase, fusedEpochs: boolean, epochs: number): Promise<Trained> {
  await useDevice(device);
  const g = toDevice(graph, { features: c.features, adjacency: c.adjacency });
  const gcn = new GCN({ xDim: graph.numFeatures, hDim: c.hDim, outDim: graph.numClasses, nbLayers: c.layers - 1, bias: c.bias, dropout: 0.5, seed: 3 });
  try {
    const r = await train(gcn, g, { epochs, fusedEpochs });
    const params = await Promise.all(gcn.parameters().map(async (p) => Array.from(await p.data())));
    return { engine: r.engine, losses: r.history.flatMap((e) => [e.trainLoss, e.valLoss]), params, testAccuracy: r.testAccuracy };
  } finally {
    gcn.dispose();
    g.dispose();
  }
}

/** Largest |a - b| / (1 + |a|) over two equal-length lists (Infinity when the lengths differ). */
export function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i])));
  return most;
}

/** One row per case: the engines that ran and the gaps of webgpu's fused run to cpu's fused run and to webgpu's tape. */
export async function shapeRow(graph: Graph, c: ShapeCase, epochs: number, tolerance: number) {
  const fused = await trainOn('webgpu', graph, c, true, epochs);
  const cpu = await trainOn('cpu', graph, c, true, epochs);
  const tape = await trainOn('webgpu', graph, c, false, epochs);
  const toCpu = { losses: relativeGap(cpu.losses, fused.losses), params: Math.max(...cpu.params.map((p, i) => relativeGap(p, fused.params[i] ?? []))) };
  const toTape = { losses: relativeGap(tape.losses, fused.losses), params: Math.max(...tape.params.map((p, i) => relativeGap(p, fused.params[i] ?? []))) };
  const equal = [toCpu.losses, toCpu.params, toTape.losses, toTape.params].every((x) => x <= tolerance);
  return {
    kind: 'shape',
    ...c,
    epochs,
    engines: { webgpu: fused.engine, cpu: cpu.engine, tape: tape.engine },
    gapToCpuFused: toCpu,
    gapToWebgpuTape: toTape,
    tolerance,
    equal: equal && fused.engine === 'fused-webgpu' && cpu.engine === 'fused-host' && tape.engine === 'tape',
    testAccuracy: { webgpu: fused.testAccuracy, cpu: cpu.testAccuracy, tape: tape.testAccuracy },
  };
}
