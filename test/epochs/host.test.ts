// Whole host epochs whose backward pass computes only the rows the training rows reach give the same losses and
// parameters as the backward over every row, with either kernel set, either adjacency and any layer list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostEpochs, parameterSlots } from '../../src/epochs/index.js';
import { denseAdjacency, denseFeatures, ShapeError, syntheticGraph, type Graph } from '../../src/index.js';

const sparseGraph = syntheticGraph({ nodes: 6_000, features: 40, avgDegree: 3, seed: 9 });
const denseGraph = syntheticGraph({ nodes: 1_500, features: 40, avgDegree: 3, seed: 9 });
interface Model {
  adjacency: 'sparse' | 'dense';
  hidden?: number;
  /** Hidden layers (GCN's nbLayers): the model has one GCN layer more. */
  hiddenLayers?: number;
  bias?: boolean;
  features?: 'sparse' | 'dense';
}

/** What HostEpochs is given for `graph`: its shape, its arrays, and starting parameters (the model's flat order). */
function setupOf(graph: Graph, model: Model) {
  const { adjacency, hidden = 16, hiddenLayers = 1, bias = true, features = 'sparse' } = model;
  const widths = [graph.numFeatures, ...Array<number>(hiddenLayers).fill(hidden), graph.numClasses];
  const shape = {
    nodes: graph.numNodes,
    layers: widths.slice(0, -1).map((inputs, i) => ({ inputs, outputs: widths[i + 1], bias })),
    features,
    adjacency,
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 5e-3,
    dropout: 0.5,
  };
  const count = parameterSlots(shape.layers).count;
  const start = Float32Array.from({ length: count }, (_, i) => 0.1 * Math.sin(i));
  const host = {
    features: features === 'dense' ? denseFeatures(graph) : graph.features,
    adjacency: adjacency === 'dense' ? denseAdjacency(graph) : graph.adjacency,
    labels: graph.labels,
    trainMask: graph.trainMask,
    valMask: graph.valMask,
  };
  return { shape, host, start, seeds: (epoch: number) => Array.from({ length: hiddenLayers }, (_, i) => 77 + 13 * epoch + i) };
}

function trainFor(graph: Graph, model: Model, epochs: number, kernels: 'javascript' | 'simd', backward: 'all' | 'reached') {
  const { shape, host, start, seeds } = setupOf(graph, model);
  const runner = new HostEpochs(shape, host, start.slice(), kernels, { backwardRows: backward });
  assert.equal(runner.reachedRows, backward === 'reached');
  const metrics = Array.from({ length: epochs }, (_, i) => runner.epoch(i + 1, seeds(i)));
  return { metrics, parameters: runner.parameters(), start };
}

/** The same training both ways: the same metrics and parameters to 1e-6 (the sums run in another order). */
function assertSameTraining(graph: Graph, model: Model, epochs: number, kernels: 'javascript' | 'simd') {
  const all = trainFor(graph, model, epochs, kernels, 'all');
  const reached = trainFor(graph, model, epochs, kernels, 'reached');
  reached.metrics.forEach((m, e) => m.forEach((x, k) => assert.ok(Math.abs(x - all.metrics[e][k]) <= 1e-6, `epoch ${e + 1} metric ${k}: ${x} vs ${all.metrics[e][k]}`)));
  reached.parameters.forEach((x, i) => assert.ok(Math.abs(x - all.parameters[i]) <= 1e-6, `parameter ${i}: ${x} vs ${all.parameters[i]}`));
  assert.ok(reached.parameters.some((x, i) => x !== reached.start[i]), 'training moved the parameters');
}

for (const kernels of ['javascript', 'simd'] as const) {
  for (const [adjacency, graph] of [['sparse', sparseGraph], ['dense', denseGraph]] as const) {
    test(`${kernels}, ${adjacency}: the backward over the reached rows trains exactly as the backward over every row`, () => {
      assertSameTraining(graph, { adjacency }, 6, kernels);
    });
  }
  // Every GCN the API builds: 1 to 3 GCN layers, without bias, dense features, a hidden width not a multiple of 4.
  const models: Model[] = [
    { adjacency: 'sparse', hiddenLayers: 0 },
    { adjacency: 'sparse', hiddenLayers: 2, hidden: 12, bias: false },
    { adjacency: 'dense', hiddenLayers: 2, features: 'dense', hidden: 10 },
    { adjacency: 'sparse', hiddenLayers: 1, features: 'dense', bias: false },
  ];
  for (const model of models) {
    test(`${kernels}, ${JSON.stringify(model)}: the backward over the reached rows trains exactly as the backward over every row`, () => {
      assertSameTraining(model.adjacency === 'dense' ? denseGraph : sparseGraph, model, 4, kernels);
    });
  }
}

test('simd, widths of several strips (20 hidden, 9 classes), dense: reached rows as every row', () => {
  assertSameTraining(syntheticGraph({ nodes: 1_200, features: 30, classes: 9, avgDegree: 3, seed: 4 }), { adjacency: 'dense', hidden: 20 }, 4, 'simd');
});

test("simd, hidden features past 2 MiB (the full backward's X^T @ dH scattered): reached rows as every row", () => {
  // 40,000 nodes x 16 floats = 2.4 MiB: the full backward scatters X's rows (spmm_scatter over every row).
  assertSameTraining(syntheticGraph({ nodes: 40_000, features: 64, avgDegree: 6, seed: 5 }), { adjacency: 'sparse' }, 3, 'simd');
});

/** Host epochs on `threads` threads, every product split (shareFrom 0): the numbers, and how many jobs were shared. */
function trainOnThreads(graph: Graph, adjacency: 'sparse' | 'dense', threads: number, backwardRows: 'all' | 'reached', hidden = 16) {
  const { shape, host, start, seeds } = setupOf(graph, { adjacency, hidden });
  const runner = new HostEpochs(shape, host, start.slice(), 'simd', { threads, shareFrom: 0, backwardRows });
  try {
    const metrics = Array.from({ length: 3 }, (_, i) => runner.epoch(i + 1, seeds(i)));
    return { threads: runner.threads, jobs: runner.sharedJobs, metrics, parameters: runner.parameters(), start };
  } finally {
    runner.dispose();
  }
}

const threadCases = [
  ['sparse', sparseGraph, 'all', 16],
  ['sparse', sparseGraph, 'reached', 16],
  ['dense', denseGraph, 'all', 16],
  // 132 hidden columns: 9 strips, more calls than a helper takes at once (they run in rounds).
  ['sparse', syntheticGraph({ nodes: 800, features: 30, avgDegree: 3, seed: 6 }), 'all', 132],
] as const;
for (const [adjacency, graph, backwardRows, hidden] of threadCases) {
  test(`simd, ${adjacency}, backward over ${backwardRows} rows, ${hidden} hidden: 2 threads train to the same bits as 1`, () => {
    const one = trainOnThreads(graph, adjacency, 1, backwardRows, hidden);
    const two = trainOnThreads(graph, adjacency, 2, backwardRows, hidden);
    assert.deepEqual([one.threads, one.jobs], [1, 0]);
    assert.equal(two.threads, 2);
    // Per epoch: X @ W1, A @ XW, relu-dropout, H @ W2, A @ HW at least; the full backward adds its gathers.
    assert.ok(two.jobs >= 3 * (backwardRows === 'all' ? 8 : 5), `${two.jobs} shared jobs`);
    assert.deepEqual(two.metrics, one.metrics);
    assert.deepEqual(two.parameters, one.parameters);
    assert.ok(two.parameters.some((x, i) => x !== two.start[i]), 'training moved the parameters');
  });
}

test('simd threads start only where a product is worth splitting', () => {
  const { shape, host, start } = setupOf(sparseGraph, { adjacency: 'sparse' });
  const runner = new HostEpochs(shape, host, start, 'simd', { threads: 2 });
  assert.equal(runner.threads, 1, 'a 6,000-node graph has no product of 2^22 multiply-adds');
  runner.dispose();
});

test('host epochs refuse parameters or a graph that do not match the shape, naming what was expected', () => {
  const { shape, host, start } = setupOf(sparseGraph, { adjacency: 'sparse', hiddenLayers: 2 });
  assert.throws(() => new HostEpochs(shape, host, start.subarray(1), 'javascript'), (e: unknown) => e instanceof ShapeError && new RegExp(`${start.length} values`).test(e.message));
  assert.throws(() => new HostEpochs({ ...shape, features: 'dense' }, host, start, 'javascript'), /features dense and adjacency sparse/);
  const runner = new HostEpochs(shape, host, start, 'javascript');
  assert.throws(() => runner.epoch(1, [1]), /2 \(one per hidden layer\)/);
});

test('a dense A given as the CsrMatrix of its entries trains exactly as its dense rows; a CSR of another size is refused, named', () => {
  const { shape, host, start, seeds } = setupOf(denseGraph, { adjacency: 'dense' });
  const epochsOf = (adjacency: Float32Array | typeof denseGraph.adjacency) => {
    const runner = new HostEpochs(shape, { ...host, adjacency }, start.slice(), 'javascript');
    const metrics = Array.from({ length: 3 }, (_, i) => runner.epoch(i + 1, seeds(i)));
    return { metrics, parameters: runner.parameters() };
  };
  assert.ok(host.adjacency instanceof Float32Array);
  assert.deepEqual(epochsOf(denseGraph.adjacency), epochsOf(host.adjacency));
  const other = syntheticGraph({ nodes: 1_499, features: 40, avgDegree: 3, seed: 9 }).adjacency;
  assert.throws(() => new HostEpochs(shape, { ...host, adjacency: other }, start, 'javascript'), (e: unknown) => e instanceof ShapeError && /1500x1500/.test(e.message) && /1499x1499/.test(e.message));
});
