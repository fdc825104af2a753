// Stopping a training run: an AbortSignal, passed or ambient (as a notebook kernel sets per cell).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { GCN, syntheticGraph, train, useDevice, withAbortSignal } from '../../src/index.js';

const graph = syntheticGraph({ nodes: 300, features: 40, classes: 3, seed: 1 });
const model = () => new GCN({ xDim: graph.numFeatures, hDim: 8, outDim: graph.numClasses, seed: 1 });

test('an aborted signal stops train() at the next epoch and frees what it allocated', async () => {
  await useDevice('cpu');
  const gcn = model();
  const before = tf.memory().numTensors;
  const controller = new AbortController();
  let seen = 0;
  const error = await train(gcn, graph, {
    epochs: 10_000,
    signal: controller.signal,
    onEpoch: (e) => {
      seen = e.epoch;
      if (e.epoch === 3) controller.abort(new Error('stop here'));
    },
  }).catch((e: unknown) => e);
  assert.match((error as Error).message, /stop here/);
  assert.equal(seen, 3);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  gcn.dispose();
});

test('an ambient signal stops train() without the caller passing it, and a timer can fire during training', async () => {
  const gcn = model();
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('interrupted from outside')), 50);
  let epochs = 0;
  const error = await withAbortSignal(controller.signal, () =>
    train(gcn, graph, { epochs: 1_000_000, onEpoch: () => epochs++ }),
  ).catch((e: unknown) => e);
  assert.match((error as Error).message, /interrupted from outside/);
  assert.ok(epochs > 0 && epochs < 1_000_000);
  gcn.dispose();
});
