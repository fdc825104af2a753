// The article's GCN as a user meets it: its layers, seeded weights, the same output on every device and form.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  CsrMatrix,
  GCN,
  InvalidOptionError,
  evalFn,
  forwardFn,
  loadCora,
  lossFn,
  sparseMatrix,
  toDevice,
  useDevice,
  type Graph,
} from '../../src/index.js';
import { DATA_DIR } from '../helpers/data-dir.js';
import { assertClose } from '../ops/helpers.js';

let cora: Graph;
before(async () => {
  cora = await loadCora({ dataDir: DATA_DIR });
});
after(() => useDevice('cpu'));

test('nbLayers counts hidden layers as the article code does; the default is the 2-layer GCN', async () => {
  await useDevice('cpu');
  const two = new GCN({ xDim: 1433, hDim: 16, outDim: 7 });
  assert.deepEqual(two.gcnLayers.map((l) => l.linear.weight.shape), [[1433, 16], [16, 7]]);
  assert.equal(two.parameters().length, 4);
  const three = new GCN({ xDim: 1433, hDim: 16, outDim: 7, nbLayers: 2, bias: false });
  assert.deepEqual(three.gcnLayers.map((l) => l.linear.weight.shape), [[1433, 16], [16, 16], [16, 7]]);
  assert.equal(three.parameters().length, 3);
  two.dispose();
  three.dispose();
});

test('weights are Glorot-uniform, and the same seed gives the same weights', async () => {
  await useDevice('cpu');
  const [a, b, c] = [1, 1, 2].map((seed) => new GCN({ xDim: 1433, hDim: 16, outDim: 7, seed }));
  const w = a.gcnLayers[0].linear.weight.dataSync();
  const limit = Math.sqrt(6 / (1433 + 16));
  assert.ok(w.every((x) => Math.abs(x) <= limit));
  const mean = w.reduce((s, x) => s + x, 0) / w.length;
  const variance = w.reduce((s, x) => s + x * x, 0) / w.length;
  assert.ok(Math.abs(mean) < 0.01 * limit && Math.abs(variance - limit ** 2 / 3) < 0.05 * limit ** 2);
  assert.deepEqual(Array.from(b.gcnLayers[0].linear.weight.dataSync()), Array.from(w));
  assert.notDeepEqual(Array.from(c.gcnLayers[0].linear.weight.dataSync()), Array.from(w));
  assert.deepEqual(Array.from(a.gcnLayers[0].linear.bias!.dataSync()), new Array(16).fill(0));
  for (const m of [a, b, c]) m.dispose();
});

test('the same seed gives the same forward output on cpu and wasm, sparse and dense, within 1e-4', async () => {
  const outputs: Float32Array[] = [];
  for (const device of ['cpu', 'wasm'] as const) {
    await useDevice(device);
    for (const adjacency of ['sparse', 'dense'] as const) {
      const g = toDevice(cora, { adjacency, features: adjacency });
      const model = new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, seed: 5 });
      outputs.push(tf.tidy(() => model.apply(g.x, g.adj, { training: true, dropoutSeed: 9 }).dataSync() as Float32Array));
      model.dispose();
      g.dispose();
    }
  }
  for (const out of outputs.slice(1)) assertClose(out, outputs[0], 1e-4, 'forward output');
});

test('lossFn is mean cross-entropy over the mask plus weightDecay * sqrt(sum of squared parameters)', async () => {
  await useDevice('cpu');
  const model = new GCN({ xDim: 3, hDim: 4, outDim: 2, seed: 1 });
  const x = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
  const adj = sparseMatrix(CsrMatrix.fromDense(3, 3, [0.5, 0.5, 0, 0.5, 0.5, 0, 0, 0, 1]));
  const y = tf.tensor1d([0, 1, 1], 'int32');
  const mask = tf.tensor1d([1, 1, 0]);
  tf.tidy(() => {
    const yHat = model.apply(x, adj);
    const z = yHat.arraySync();
    const ce = [0, 1].reduce((s, i) => s + Math.log(Math.exp(z[i][0]) + Math.exp(z[i][1])) - z[i][[0, 1, 1][i]], 0) / 2;
    const sq = model.parameters().reduce((s, p) => s + p.dataSync().reduce((t, v) => t + v * v, 0), 0);
    assertClose(lossFn(yHat, y, 0, undefined, mask), [ce], 1e-5, 'cross-entropy');
    assertClose(lossFn(yHat, y, 5e-3, model.parameters(), mask), [ce + 5e-3 * Math.sqrt(sq)], 1e-5, 'with the L2 term');
    assert.throws(() => lossFn(yHat, y, 5e-3), (e: unknown) => e instanceof InvalidOptionError && /the model's parameters \(gcn\.parameters\(\)\) for the L2 term of weightDecay 0\.005/.test(e.message));
    const acc = evalFn(yHat, y, mask).dataSync()[0];
    assert.ok(acc === 0 || acc === 0.5 || acc === 1);
    // forwardFn is what tf.variableGrads differentiates, as MLX's value_and_grad does.
    const { value, grads } = tf.variableGrads(() => forwardFn(model, x, adj, y, mask, 5e-3).loss, model.parameters());
    assert.ok(Number.isFinite(value.dataSync()[0]));
    assert.equal(Object.keys(grads).length, 4);
  });
  model.dispose();
  adj.dispose();
  tf.dispose([x, y, mask]);
});

test('GCN refuses options that cannot make a model', () => {
  assert.throws(() => new GCN({ xDim: 0, hDim: 16, outDim: 7 }), InvalidOptionError);
  assert.throws(() => new GCN({ xDim: 10, hDim: 16, outDim: 7, nbLayers: -1 }), InvalidOptionError);
  assert.throws(() => new GCN({ xDim: 10, hDim: 16, outDim: 7, dropout: 1 }), /invalid dropout 1/);
});
