// Fused epochs (train()'s default on cpu, wasm and webgpu) train exactly as tfjs's tape does: same numbers per
// epoch, same parameters at the end, for either adjacency; other models still go through the tape.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, test } from 'node:test';
import { GCN, loadCora, syntheticGraph, toDevice, train, useDevice, type Graph } from '../../src/index.js';
import { kernelDevices } from '../ops/helpers.js';
import { DATA_DIR } from '../helpers/data-dir.js';

let cora: Graph;
before(async () => {
  cora = await loadCora({ dataDir: DATA_DIR });
});
after(() => useDevice('cpu'));

const model = (nbLayers = 1) => new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, nbLayers, dropout: 0.5, seed: 3 });

for (const device of await kernelDevices()) {
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

test('a 3-layer GCN (nbLayers 2) is not fused but trains through the tape', async () => {
  await useDevice('cpu');
  const gcn = model(2);
  const result = await train(gcn, cora, { epochs: 3 });
  gcn.dispose();
  assert.equal(result.epochs, 3);
  assert.ok(result.history.every((e) => Number.isFinite(e.trainLoss)));
});

test('wasm, a graph whose hidden features outgrow the cache: fused epochs match the tape', async () => {
  // 40,000 nodes with 140 labelled: the backward takes the reached rows (test/ops/host-epochs.test.ts compares it
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
