// Fused epochs (train()'s default on cpu, wasm and webgpu) train exactly as tfjs's tape does: same numbers per
// epoch, same parameters at the end, for every layer list, bias, and layout of X and A; the summary names the engine.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, test } from 'node:test';
import { GCN, loadCora, onRuntimeEvent, syntheticGraph, toDevice, train, useDevice, type DeviceGraph, type GCNOptions, type Graph, type RunSummary } from '../../src/index.js';
import { opDevices } from '../ops/helpers.js';
import { DATA_DIR } from '../helpers/data-dir.js';

let cora: Graph;
before(async () => {
  cora = await loadCora({ dataDir: DATA_DIR });
});
after(() => useDevice('cpu'));

const model = (nbLayers = 1) => new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, nbLayers, dropout: 0.5, seed: 3 });

for (const device of await opDevices()) {
  for (const adjacency of ['sparse', 'dense'] as const) {
    test(`${device}, ${adjacency}: fused epochs give the tape's losses, accuracies and parameters`, async () => {
      await useDevice(device);
      const g = toDevice(cora, { adjacency });
      const runs = [];
      for (const fusedEpochs of [true, false]) {
        const gcn = model();
        const result = await train(gcn, g, { epochs: 12, fusedEpochs });
        runs.push({ result, params: gcn.parameters().map((p) => p.dataSync()) });
        gcn.dispose();
      }
      g.dispose();
      const [fused, tape] = runs;
      fused.result.history.forEach((e, i) => {
        const t = tape.result.history[i];
        for (const key of ['trainLoss', 'valLoss', 'valAccuracy'] as const) {
          assert.ok(Math.abs(e[key] - t[key]) <= 1e-4, `epoch ${i + 1} ${key}: fused ${e[key]}, tape ${t[key]}`);
        }
      });
      fused.params.forEach((p, k) => p.forEach((x, i) => assert.ok(Math.abs(x - tape.params[k][i]) <= 1e-4, `parameter ${k}[${i}]: ${x} vs ${tape.params[k][i]}`)));
      assert.equal(fused.result.testAccuracy, tape.result.testAccuracy);
    });
  }
}

/** Trains the same model fused and through the tape; both runs' results and final parameters. */
async function fusedAndTape(graph: Graph | DeviceGraph, options: GCNOptions, epochs: number) {
  const runs = [];
  for (const fusedEpochs of [true, false]) {
    const gcn = new GCN(options);
    const result = await train(gcn, graph, { epochs, fusedEpochs });
    runs.push({ result, params: gcn.parameters().map((p) => p.dataSync()), start: new GCN(options) });
    gcn.dispose();
  }
  const [fused, tape] = runs;
  return { fused, tape };
}

/** Fused and tape runs agree: per-epoch numbers and final parameters to `tol`, and the fused run moved them. */
function assertSameRuns({ fused, tape }: Awaited<ReturnType<typeof fusedAndTape>>, tol = 1e-4) {
  assert.equal(fused.result.engine, 'fused-host');
  assert.equal(fused.result.tapeReason, undefined);
  assert.deepEqual([tape.result.engine, tape.result.tapeReason], ['tape', 'fusedEpochs: false was asked']);
  fused.result.history.forEach((e, i) => {
    const t = tape.result.history[i];
    for (const key of ['trainLoss', 'valLoss', 'valAccuracy'] as const) {
      assert.ok(Math.abs(e[key] - t[key]) <= tol, `epoch ${i + 1} ${key}: fused ${e[key]}, tape ${t[key]}`);
    }
  });
  const starts = fused.start.parameters().map((p) => p.dataSync());
  fused.start.dispose();
  tape.start.dispose();
  assert.equal(fused.params.length, tape.params.length);
  fused.params.forEach((p, k) => {
    p.forEach((x, i) => assert.ok(Math.abs(x - tape.params[k][i]) <= tol, `parameter ${k}[${i}]: ${x} vs ${tape.params[k][i]}`));
    assert.ok(p.some((x, i) => x !== starts[k][i]), `parameter ${k} moved`);
  });
}

// Every GCN the API builds trains fused as through the tape: 1 to 4 GCN layers, bias or none, hidden widths that
// are and are not multiples of 4, features and adjacency sparse or dense.
const small = syntheticGraph({ nodes: 900, features: 60, avgDegree: 4, seed: 8 });
const shapes: { nbLayers: number; hDim: number; bias: boolean; features: 'sparse' | 'dense'; adjacency: 'sparse' | 'dense' }[] = [
  { nbLayers: 0, hDim: 16, bias: true, features: 'sparse', adjacency: 'sparse' },
  { nbLayers: 0, hDim: 16, bias: false, features: 'dense', adjacency: 'dense' },
  { nbLayers: 1, hDim: 10, bias: false, features: 'dense', adjacency: 'sparse' },
  { nbLayers: 2, hDim: 12, bias: false, features: 'sparse', adjacency: 'sparse' },
  { nbLayers: 2, hDim: 16, bias: true, features: 'dense', adjacency: 'dense' },
  { nbLayers: 3, hDim: 8, bias: true, features: 'sparse', adjacency: 'dense' },
];
for (const device of ['cpu', 'wasm'] as const) {
  for (const { features, adjacency, ...layers } of shapes) {
    test(`${device}, ${layers.nbLayers + 1} GCN layer(s) of ${layers.hDim}, bias ${layers.bias}, ${features} X, ${adjacency} A: fused as the tape`, async () => {
      await useDevice(device);
      const g = toDevice(small, { features, adjacency });
      const runs = await fusedAndTape(g, { xDim: small.numFeatures, outDim: small.numClasses, dropout: 0.5, seed: 5, ...layers }, 5);
      g.dispose();
      assertSameRuns(runs);
    });
  }
  test(`${device}: the article's three-layer dense model (nbLayers 2, dense X and A) on Cora, fused as the tape`, async () => {
    await useDevice(device);
    const g = toDevice(cora, { features: 'dense', adjacency: 'dense' });
    const runs = await fusedAndTape(g, { xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, nbLayers: 2, dropout: 0.5, seed: 3 }, 4);
    g.dispose();
    assertSameRuns(runs);
  });
}

test("a model of the user's own class trains through the tape, and the summary says why", async () => {
  await useDevice('cpu');
  class Wider extends GCN {}
  const gcn = new Wider({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses });
  const runs: RunSummary[] = [];
  const stop = onRuntimeEvent((e) => e.type === 'run' && runs.push(e.run));
  const result = await train(gcn, cora, { epochs: 2 });
  stop();
  gcn.dispose();
  assert.equal(result.engine, 'tape');
  assert.match(result.tapeReason ?? '', /the model is a Wider, not a GCN/);
  assert.deepEqual([runs[0].engine, runs[0].tapeReason], [result.engine, result.tapeReason]);
  assert.ok(result.history.every((e) => Number.isFinite(e.trainLoss)));
});

test('wasm, a graph whose hidden features outgrow the cache: fused epochs match the tape', async () => {
  // 40,000 nodes with 140 labelled: the backward takes the reached rows (test/epochs/host.test.ts compares it
  // with the full backward, whose X^T @ dH is scattered at this size).
  const big = syntheticGraph({ nodes: 40_000, features: 64, avgDegree: 6, seed: 5 });
  await useDevice('wasm');
  const runs = [];
  for (const fusedEpochs of [true, false]) {
    const gcn = new GCN({ xDim: big.numFeatures, hDim: 16, outDim: big.numClasses, seed: 4 });
    const result = await train(gcn, big, { epochs: 3, fusedEpochs });
    runs.push({ result, params: gcn.parameters().map((p) => p.dataSync()) });
    gcn.dispose();
  }
  const [fused, tape] = runs;
  fused.result.history.forEach((e, i) => assert.ok(Math.abs(e.trainLoss - tape.result.history[i].trainLoss) <= 1e-4, `epoch ${i + 1}`));
  fused.params.forEach((p, k) => p.forEach((x, i) => assert.ok(Math.abs(x - tape.params[k][i]) <= 1e-4, `parameter ${k}[${i}]: ${x} vs ${tape.params[k][i]}`)));
});

test('wasm: fused epochs on 2 threads give the same numbers as on 1 (a graph large enough to share its products)', async () => {
  await useDevice('wasm');
  const graph = syntheticGraph({ nodes: 60_000, features: 128, avgDegree: 10, seed: 2 });
  const g = toDevice(graph);
  const runs = [];
  for (const threads of [1, 2]) {
    const gcn = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, dropout: 0.5, seed: 4 });
    runs.push(await train(gcn, g, { epochs: 3, threads }));
    gcn.dispose();
  }
  g.dispose();
  const [one, two] = runs;
  // Never more threads than cores: on a 1-core machine both runs take one.
  assert.deepEqual([one.threads, two.threads], [1, Math.min(2, availableParallelism())]);
  const numbers = (r: (typeof runs)[number]) => r.history.map((e) => [e.trainLoss, e.valLoss, e.valAccuracy]);
  assert.deepEqual(numbers(two), numbers(one));
  assert.equal(two.testAccuracy, one.testAccuracy);
  const unused = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses });
  await assert.rejects(train(unused, graph, { epochs: 1, threads: 0 }), /invalid threads 0: expected a positive integer/);
  unused.dispose();
});
