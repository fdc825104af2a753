// train() with no device chosen runs on the default device (the fastest that works here), as the CLI does; a device
// the user chose is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GCN, currentDevice, defaultDevice, syntheticGraph, train, useDevice } from '../../src/index.js';

const graph = syntheticGraph({ nodes: 300, avgDegree: 4, features: 8, classes: 3, seed: 1 });
const model = () => new GCN({ xDim: graph.numFeatures, hDim: 8, outDim: graph.numClasses, seed: 1 });

test('with no useDevice, train() runs on the default device and says so', async () => {
  assert.equal(currentDevice(), 'cpu', 'before anything is chosen, tfjs starts on cpu');
  const { name } = await defaultDevice();
  const run = await train(model(), graph, { epochs: 2 });
  assert.equal(run.device, name);
  assert.equal(currentDevice(), name);
});

test('a device chosen with useDevice is kept', async () => {
  await useDevice('cpu');
  const run = await train(model(), graph, { epochs: 2 });
  assert.equal(run.device, 'cpu');
});
