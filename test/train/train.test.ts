// Training as a user meets it: the article's accuracy on Cora on every device, events, memory, early stopping.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  CsrMatrix,
  GCN,
  InvalidOptionError,
  MemoryLimitError,
  availableDevices,
  loadCora,
  onRuntimeEvent,
  toDevice,
  train,
  useDevice,
  type Graph,
  type RuntimeEvent,
} from '../../src/index.js';
import { DATA_DIR } from '../helpers/data-dir.js';

let cora: Graph;
before(async () => {
  cora = await loadCora({ dataDir: DATA_DIR });
});
after(() => useDevice('cpu'));

const article = { epochs: 200, lr: 0.01, weightDecay: 5e-3 };
const model = (seed = 0) => new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, dropout: 0.5, seed });

for (const device of await availableDevices()) {
  for (const adjacency of ['sparse', 'dense'] as const) {
    test(`${device}, ${adjacency} adjacency: 200 epochs reach test accuracy >= 0.79 on Cora`, async () => {
      await useDevice(device);
      const gcn = model();
      const result = await train(gcn, cora, { ...article, adjacency });
      gcn.dispose();
      assert.equal(result.device, device);
      assert.equal(result.adjacency, adjacency);
      assert.equal(result.epochs, 200);
      assert.ok(result.testAccuracy >= 0.79, `test accuracy ${result.testAccuracy}`);
      assert.ok(result.history[199].trainLoss < result.history[0].trainLoss);
    });
  }
}

test('training publishes an epoch event per epoch and a run event at the end, and times every epoch', async () => {
  await useDevice('cpu');
  const events: RuntimeEvent[] = [];
  const stop = onRuntimeEvent((e) => events.push(e));
  const seen: number[] = [];
  const gcn = model();
  const result = await train(gcn, cora, { ...article, epochs: 5, onEpoch: (e) => seen.push(e.epoch) });
  stop();
  gcn.dispose();
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.deepEqual(epochs.map((e) => e.type === 'epoch' && e.epoch), [1, 2, 3, 4, 5]);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  const runs = events.filter((e) => e.type === 'run');
  assert.equal(runs.length, 1);
  const run = runs[0].type === 'run' ? runs[0].run : undefined;
  assert.equal(run?.runId, result.runId);
  assert.equal(run?.dataset, 'cora');
  for (const e of result.history) {
    assert.equal(e.runId, result.runId);
    assert.ok(e.epochMs > 0 && Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss));
    assert.ok(e.valAccuracy >= 0 && e.valAccuracy <= 1);
  }
  const sorted = result.history.map((e) => e.epochMs).sort((a, b) => a - b);
  assert.equal(result.medianMs, sorted[2]);
  assert.ok(result.p95Ms >= result.medianMs && result.p95Ms <= sorted[4]);
});

for (const device of ['cpu', 'wasm'] as const) {
  test(`${device}: the live tensor count does not grow from epoch to epoch, and a run frees what it made`, async () => {
    await useDevice(device);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const gcn = model();
    const g = toDevice(cora);
    await train(gcn, g, { ...article, epochs: 10, onEpoch: () => counts.push(tf.memory().numTensors) });
    assert.deepEqual(counts, new Array(10).fill(counts[0]));
    g.dispose();
    gcn.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}

test('patience stops training once the validation loss has not improved for that many epochs', async () => {
  await useDevice('cpu');
  const gcn = model();
  // A learning rate this high overshoots at once, so the validation loss stops improving early.
  const result = await train(gcn, cora, { epochs: 200, lr: 5, weightDecay: 0, patience: 3 });
  gcn.dispose();
  assert.ok(result.stoppedEarly);
  assert.ok(result.epochs < 200);
  const losses = result.history.map((e) => e.valLoss);
  const best = Math.min(...losses);
  assert.equal(losses.length - 1 - losses.indexOf(best), 3);
});

test('rates that would end in a NaN loss are refused before training, naming the value as written', async () => {
  await useDevice('cpu');
  const gcn = model();
  for (const [options, message] of [
    [{ lr: Infinity }, /invalid lr Infinity: expected a number above 0 and at most 1000/],
    [{ lr: 1e308 }, /invalid lr 1e\+308: expected a number above 0 and at most 1000/],
    [{ lr: NaN }, /invalid lr NaN: /],
    [{ weightDecay: 1e308 }, /invalid weightDecay 1e\+308: expected a number from 0 to 1/],
    [{ beta1: 1 }, /invalid beta1 1: expected a number from 0 up to, not including, 1/],
    [{ epsilon: 0 }, /invalid epsilon 0: /],
  ] as const) {
    await assert.rejects(train(gcn, cora, { epochs: 1, ...options }), (e: unknown) => e instanceof InvalidOptionError && message.test(e.message));
  }
  gcn.dispose();
});

test("a dense adjacency over train()'s limit is refused naming train()'s own option, maxDenseBytes", async () => {
  await useDevice('cpu');
  const m = model();
  await assert.rejects(train(m, cora, { epochs: 1, adjacency: 'dense', maxDenseBytes: 2 ** 20 }), (e: unknown) => {
    assert.ok(e instanceof MemoryLimitError);
    assert.match(e.message, /dense adjacency of 'cora' \(2708 x 2708 float32\).*use the sparse CsrMatrix .* instead, or raise maxDenseBytes$/);
    return true;
  });
  m.dispose();
});

test('an epoch that would not fit (a wide hidden layer) is refused with MemoryLimitError naming the hDim that fits, before anything is allocated', async () => {
  await useDevice('cpu');
  const maxEpochBytes = 128 * 2 ** 20;
  const wide = new GCN({ xDim: cora.numFeatures, hDim: 4096, outDim: cora.numClasses });
  const before = tf.memory().numTensors;
  let fits = 0;
  await assert.rejects(train(wide, cora, { epochs: 1, maxEpochBytes }), (e: unknown) => {
    assert.ok(e instanceof MemoryLimitError);
    assert.match(e.message, /one epoch of a GCN of 1433 -> 4096 -> 7 on 2708 nodes .*2708 x 4096 float32 per array/);
    assert.match(e.message, /more than the 0\.13 GiB allowed/);
    fits = Number(/hDim at most (\d+) fits on 2708 nodes/.exec(e.message)?.[1]);
    return true;
  });
  assert.equal(tf.memory().numTensors, before, 'nothing was uploaded');
  wide.dispose();
  assert.ok(fits > 1000 && fits < 4096, `hDim ${fits} suggested`);
  // The width it names does fit, and trains.
  const narrower = new GCN({ xDim: cora.numFeatures, hDim: fits, outDim: cora.numClasses });
  const result = await train(narrower, cora, { epochs: 1, maxEpochBytes });
  narrower.dispose();
  assert.equal(result.epochs, 1);
  const tooWide = new GCN({ xDim: cora.numFeatures, hDim: fits + 1, outDim: cora.numClasses });
  await assert.rejects(train(tooWide, cora, { epochs: 1, maxEpochBytes }), MemoryLimitError);
  tooWide.dispose();
});

test('a dense adjacency that would not fit is refused with MemoryLimitError before anything is allocated', async () => {
  await useDevice('cpu');
  const n = 1_000_000;
  const identity = new CsrMatrix(n, n, Int32Array.from({ length: n + 1 }, (_, i) => i), Int32Array.from({ length: n }, (_, i) => i), new Float32Array(n).fill(1));
  const huge: Graph = {
    ...cora,
    name: 'huge',
    numNodes: n,
    numFeatures: 1,
    numClasses: 2,
    adjacency: identity,
    features: new CsrMatrix(n, 1, new Int32Array(n + 1), new Int32Array(0), new Float32Array(0)),
    labels: new Int32Array(n),
    trainMask: new Uint8Array(n),
    valMask: new Uint8Array(n),
    testMask: new Uint8Array(n),
  };
  const before = tf.memory().numTensors;
  const gcn = new GCN({ xDim: 1, hDim: 4, outDim: 2 });
  await assert.rejects(train(gcn, huge, { epochs: 1, adjacency: 'dense' }), (e: unknown) => {
    assert.ok(e instanceof MemoryLimitError);
    assert.match(e.message, /dense adjacency of 'huge' \(1000000 x 1000000 float32\) needs 3725\.29 GiB/);
    assert.match(e.message, /sparse/);
    return true;
  });
  gcn.dispose();
  assert.equal(tf.memory().numTensors, before);
});
