// tf.grad over ordinary tfjs ops, as a notebook following the article might write it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { enableStockGradients, useDevice } from '../../src/index.js';

test('after enableStockGradients, tf.grad differentiates stock ops on cpu and wasm', async () => {
  await enableStockGradients();
  for (const device of ['cpu', 'wasm']) {
    await useDevice(device);
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    // d/dx sum(relu(x @ x)) = 1 @ x^T + x^T @ 1
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(tf.matMul(v as tf.Tensor2D, v as tf.Tensor2D))))(x);
    assert.deepEqual(await dx.array(), [
      [7, 11],
      [9, 13],
    ], device);
    tf.dispose([x, dx]);
  }
  await useDevice('cpu');
  assert.equal(tf.getBackend(), 'cpu', 'loading @tensorflow/tfjs does not change the device');
});
