// useDefaultDevice() switches to the fastest device that works here and train() then runs there; a device the user
// chose with useDevice is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GCN, currentDevice, defaultDevice, syntheticGraph, train, useDefaultDevice, useDevice } from '../../src/index.js';

const graph = syntheticGraph({ nodes: 300, avgDegree: 4, features: 8, classes: 3, seed: 1 });
const model = () => new GCN({ xDim: graph.numFeatures, hDim: 8, outDim: graph.numClasses, seed: 1 });

test('useDefaultDevice() switches to the default device, and train() runs there', async () => {
  const { name } = await defaultDevice();
  assert.equal(await useDefaultDevice(), name);
  const run = await train(model(), graph, { epochs: 2 });
  assert.equal(run.device, name);
});

test('after useDevice, useDefaultDevice() keeps the device the user chose', async () => {
  await useDevice('cpu');
  assert.equal(await useDefaultDevice(), 'cpu');
  assert.equal(currentDevice(), 'cpu');
});
