// The webgpu epochs' kernels run, not only compile: on SwiftShader (Vulkan on the CPU, shipped with Debian's
// chromium), each model trains fused on webgpu with the cpu device's losses, accuracies and parameters.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SwiftShaderAnswer, SwiftShaderRequest, SwiftShaderRun } from './dawn-swiftshader.js';
import { askChild } from '../helpers/ask-child.js';
import { CsrMatrix, syntheticGraph } from '../../src/index.js';
import type { EpochShape } from '../../src/epochs/index.js';
import { propagateFeatures, readAdjacency, slicesOf, TILED_GRADS_SLICES } from '../../src/epochs/webgpu/index.js';

const CHILD = fileURLToPath(new URL('./dawn-swiftshader.ts', import.meta.url));
/** SwiftShader compiles each kernel on the CPU: a few seconds per model, minutes only where Dawn hangs. */
const ANSWER_MS = 240_000;
/** GCNLAB_SWIFTSHADER_ICD names another SwiftShader ICD file; Debian's chromium puts its own here. */
const ICD = process.env.GCNLAB_SWIFTSHADER_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';
const skip = existsSync(ICD) ? false : `no SwiftShader Vulkan driver at ${ICD} (apt install chromium, or set GCNLAB_SWIFTSHADER_ICD)`;

/** The child's two runs, on a Vulkan loader that sees SwiftShader only (chromium's own loader where none is installed). */
function trainOnSwiftShader(request: SwiftShaderRequest): { adapter: Record<string, unknown>; cpu: SwiftShaderRun; webgpu: SwiftShaderRun } {
  const env = { ...process.env, VK_ICD_FILENAMES: ICD, LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, dirname(ICD)].filter(Boolean).join(':') };
  // A child that does not answer within ANSWER_MS is killed and tried once more (Dawn once hung in CI).
  const answer = askChild<SwiftShaderAnswer>(CHILD, request, { timeoutMs: ANSWER_MS, env, what: 'the SwiftShader child' });
  if ('unavailable' in answer) throw new Error(answer.unavailable);
  const [cpu, webgpu] = answer.runs;
  return { adapter: answer.adapter, cpu, webgpu };
}

/** Same numbers per epoch and the same trained parameters, to float32 tolerance (the GPU sums in another order). */
function assertSameRuns(cpu: SwiftShaderRun, webgpu: SwiftShaderRun, tol = 1e-4): void {
  assert.equal(cpu.engine, 'fused-host');
  assert.equal(webgpu.engine, 'fused-webgpu', `webgpu ran the tape: ${webgpu.tapeReason}`);
  assert.equal(webgpu.history.length, cpu.history.length);
  webgpu.history.forEach((e, i) => {
    for (const key of ['trainLoss', 'valLoss', 'valAccuracy'] as const) {
      assert.ok(Math.abs(e[key] - cpu.history[i][key]) <= tol, `epoch ${i + 1} ${key}: webgpu ${e[key]}, cpu ${cpu.history[i][key]}`);
    }
  });
  assert.equal(webgpu.params.length, cpu.params.length);
  webgpu.params.forEach((p, k) => p.forEach((x, i) => assert.ok(Math.abs(x - cpu.params[k][i]) <= tol, `parameter ${k}[${i}]: webgpu ${x}, cpu ${cpu.params[k][i]}`)));
  assert.ok(Math.abs(webgpu.testAccuracy - cpu.testAccuracy) <= 0.01, `test accuracy: webgpu ${webgpu.testAccuracy}, cpu ${cpu.testAccuracy}`);
}

// Small: SwiftShader runs every kernel on the CPU, and a dense A costs n^2 per product.
const graph = { nodes: 360, features: 40, avgDegree: 4, seed: 8 };

test('SwiftShader: the two-layer GCN (bias, sparse X and A) trains on webgpu fused as on the cpu device', { skip }, () => {
  const { adapter, cpu, webgpu } = trainOnSwiftShader({ graph, model: { nbLayers: 1, hDim: 16, bias: true }, features: 'sparse', adjacency: 'sparse', epochs: 6 });
  assert.equal(adapter.architecture, 'swiftshader');
  assertSameRuns(cpu, webgpu);
});

// Every GCN the API builds: 1 to 4 GCN layers, bias or none, hidden widths that are and are not multiples of 4,
// features and adjacency sparse or dense (the shapes test/train/fused-epochs.test.ts checks on cpu and wasm). These
// graphs' A is 1.4% non-zero, so a dense A is read as dense rows here only with GCNLAB_WEBGPU_SPARSE_ADJACENCY=off
// (the dense A kernels, which a denser A takes); the default, CSR, is tested after.
const shapes: { nbLayers: number; hDim: number; bias: boolean; features: 'sparse' | 'dense'; adjacency: 'sparse' | 'dense' }[] = [
  { nbLayers: 0, hDim: 16, bias: true, features: 'sparse', adjacency: 'sparse' },
  { nbLayers: 0, hDim: 16, bias: false, features: 'dense', adjacency: 'dense' },
  { nbLayers: 1, hDim: 10, bias: false, features: 'dense', adjacency: 'sparse' },
  { nbLayers: 1, hDim: 16, bias: true, features: 'sparse', adjacency: 'dense' },
  { nbLayers: 2, hDim: 12, bias: false, features: 'sparse', adjacency: 'sparse' },
  { nbLayers: 2, hDim: 16, bias: true, features: 'dense', adjacency: 'dense' },
  { nbLayers: 3, hDim: 8, bias: true, features: 'sparse', adjacency: 'dense' },
];
for (const { features, adjacency, ...model } of shapes) {
  test(`SwiftShader: ${model.nbLayers + 1} GCN layer(s) of ${model.hDim}, bias ${model.bias}, ${features} X, ${adjacency} A: webgpu fused as the cpu device`, { skip }, () => {
    const { cpu, webgpu } = trainOnSwiftShader({ graph, model, features, adjacency, epochs: 5, sparseAdjacency: 'off' });
    assert.equal(webgpu.adjacencyRead?.readAs, adjacency, 'webgpu read A otherwise than given');
    assertSameRuns(cpu, webgpu);
  });
}

// Where X is dense, webgpu propagates it once (A X) and its first layer has no A products; off, it keeps them.
test("SwiftShader: the article's three-layer model (dense X and A) with the first layer's A products kept (GCNLAB_WEBGPU_PROPAGATED_FEATURES=off) trains on webgpu as on cpu", { skip }, () => {
  const { cpu, webgpu } = trainOnSwiftShader({ graph, model: { nbLayers: 2, hDim: 16, bias: true }, features: 'dense', adjacency: 'dense', epochs: 5, propagatedFeatures: 'off', sparseAdjacency: 'off' });
  assertSameRuns(cpu, webgpu);
});

test("SwiftShader: the article's three-layer model, and two layers on a sparse A, where A X is sparse (X' as CSR, a workgroup a row each way) train on webgpu as on cpu", { skip }, () => {
  // 200 features, 3 a node, degree 4: A X about 7% non-zero, under the half past which it would go up as dense rows.
  const sparseGraph = { nodes: 360, features: 200, featuresPerNode: 3, avgDegree: 4, seed: 8 };
  const g = syntheticGraph(sparseGraph);
  const layers = [{ inputs: 200, outputs: 16, bias: true }, { inputs: 16, outputs: 16, bias: true }, { inputs: 16, outputs: g.numClasses, bias: true }];
  const shape: EpochShape = { nodes: 360, layers, features: 'dense', adjacency: 'sparse', dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4 };
  const masks = new Uint8Array(360);
  const given = propagateFeatures(shape, { features: g.features.toDense(), adjacency: g.adjacency, labels: g.labels, trainMask: masks, valMask: masks });
  assert.ok(given.graph.features instanceof CsrMatrix, "this graph's A X would go up as dense rows: the test would not reach the CSR kernels");
  for (const [nbLayers, adjacency] of [[2, 'dense'], [1, 'sparse']] as const) {
    const { cpu, webgpu } = trainOnSwiftShader({ graph: sparseGraph, model: { nbLayers, hDim: 16, bias: true }, features: 'dense', adjacency, epochs: 5, sparseAdjacency: 'off' });
    assertSameRuns(cpu, webgpu);
  }
});

test("SwiftShader: a dense A that is mostly zeros, read as CSR (the default), trains the article's model and two and four layers on webgpu as on cpu", { skip }, () => {
  const g = syntheticGraph(graph);
  const masks = new Uint8Array(graph.nodes);
  const shape: EpochShape = { nodes: graph.nodes, layers: [], features: 'sparse', adjacency: 'dense', dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4 };
  const read = readAdjacency(shape, { features: g.features, adjacency: g.adjacency.toDense(), labels: g.labels, trainMask: masks, valMask: masks }, 'on');
  assert.equal(read.adjacencyRead.readAs, 'sparse', "this graph's dense A would be read as dense rows: the test would not reach the CSR path");
  for (const [nbLayers, features] of [[2, 'dense'], [1, 'sparse'], [3, 'sparse']] as const) {
    const { cpu, webgpu } = trainOnSwiftShader({ graph, model: { nbLayers, hDim: 16, bias: true }, features, adjacency: 'dense', epochs: 5, sparseAdjacency: 'on' });
    assert.deepEqual(webgpu.adjacencyRead, { given: 'dense', readAs: 'sparse', nonZeroShare: g.adjacency.nnz / graph.nodes ** 2 });
    assertSameRuns(cpu, webgpu);
  }
});

test('SwiftShader: a dense X and A whose rows are not whole vec4s (359 nodes, 37 features: the rows padded with zeros) train on webgpu as on cpu', { skip }, () => {
  const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes: 359, features: 37, avgDegree: 4, seed: 5 }, model: { nbLayers: 1, hDim: 16, bias: true }, features: 'dense', adjacency: 'dense', epochs: 5, sparseAdjacency: 'off' });
  assertSameRuns(cpu, webgpu);
});

test('SwiftShader: a dense X with no zeros (1100 features, every one set: each row of 275 vec4s all non-zero) trains on webgpu as on cpu', { skip }, () => {
  // A workgroup's first 256 vec4s of a row are 1024 non-zero entries: every entry a dense scan can meet at once.
  const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes: 200, features: 1100, avgDegree: 4, seed: 9 }, fullFeatures: true, model: { nbLayers: 1, hDim: 16, bias: true }, features: 'dense', adjacency: 'dense', epochs: 4, sparseAdjacency: 'off' });
  assertSameRuns(cpu, webgpu);
});

test('SwiftShader: with patience, webgpu stops at the epoch cpu stops at, each epoch submitted ahead only where no stop can come before it', { skip }, () => {
  // Patience 2: after an epoch that does not improve the validation loss the next may be the last, so train() reads
  // it back before submitting another; elsewhere it submits the next epoch first. Both ways must give cpu's numbers.
  const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes: 300, features: 24, avgDegree: 4, seed: 2 }, model: { nbLayers: 1, hDim: 16, bias: true }, features: 'sparse', adjacency: 'sparse', epochs: 300, patience: 2 });
  assert.ok(cpu.stoppedEarly && cpu.history.length < 300, `cpu ran ${cpu.history.length} epochs without stopping early: patience never ended it`);
  assert.equal(webgpu.stoppedEarly, true);
  assertSameRuns(cpu, webgpu);
});

test('SwiftShader: a graph with rows past 64 neighbours (workgroup-per-row products) trains on webgpu as on cpu', { skip }, () => {
  const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes: 500, features: 30, avgDegree: 90, seed: 4 }, model: { nbLayers: 2, hDim: 16, bias: true }, features: 'sparse', adjacency: 'sparse', epochs: 4 });
  assertSameRuns(cpu, webgpu);
});

test('SwiftShader: layers wider than one workgroup sums (160 and 96 outputs, in blocks of columns) train on webgpu fused as on cpu', { skip }, () => {
  for (const [features, adjacency, hDim] of [['dense', 'sparse', 160], ['dense', 'dense', 96], ['sparse', 'sparse', 160]] as const) {
    // 80 neighbours a row: the sparse A's products go through the workgroup-per-row kernels too, and (sparse X)
    // X^T's rows past 64 entries in the first layer's weight gradient.
    const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes: 120, features: 40, avgDegree: 80, seed: 3 }, model: { nbLayers: 1, hDim, bias: true }, features, adjacency, epochs: 3 });
    // Its A is 27% non-zero: a dense one stays dense rows by itself, the dense A kernels at the default.
    if (adjacency === 'dense') assert.deepEqual(webgpu.adjacencyRead, { given: 'dense', readAs: 'dense', keptBecause: "at least 6.25% of A's entries are non-zero (read as CSR only under that)" });
    assertSameRuns(cpu, webgpu);
  }
});

test('SwiftShader: a graph of 140,000 nodes (the hidden layers\' weight gradients summed tile by tile) trains on webgpu as on cpu', { skip }, () => {
  const nodes = 140_000;
  assert.ok(slicesOf(nodes) >= TILED_GRADS_SLICES, `${nodes} nodes make ${slicesOf(nodes)} slices, fewer than the ${TILED_GRADS_SLICES} that tile`);
  // 3 GCN layers: two layers' gradients (hidden width 12 to 12 and 12 to the classes) go through the tiles.
  const { cpu, webgpu } = trainOnSwiftShader({ graph: { nodes, features: 12, avgDegree: 2, seed: 6 }, model: { nbLayers: 2, hDim: 12, bias: true }, features: 'sparse', adjacency: 'sparse', epochs: 2 });
  assertSameRuns(cpu, webgpu);
});
