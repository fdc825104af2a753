// The fused kernels as a user meets them: cross-entropy, accuracy, relu-dropout, the L2 term and Adam.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { accuracy, adamStep, epochMetrics, l2Penalty, reluDropout, softmaxCrossEntropy, sumSquares, useDevice } from '../../src/index.js';
import { assertClose, opDevices, randomMatrix } from './helpers.js';

after(() => useDevice('cpu'));

const [N, C] = [6, 4];
const logitsValues = randomMatrix(N, C, 1, 11).map((x) => 3 * x);
const labelValues = Int32Array.from([0, 3, 1, 1, 2, 0]);
const maskValues = Float32Array.from([1, 0, 1, 1, 0, 1]);

/** Softmax cross-entropy and its gradient by hand, in doubles. */
function crossEntropyByHand() {
  let loss = 0;
  const grad = new Float64Array(N * C);
  const count = maskValues.reduce((s, x) => s + x, 0);
  for (let i = 0; i < N; i++) {
    const z = Array.from(logitsValues.subarray(i * C, (i + 1) * C));
    const max = Math.max(...z);
    const sum = z.reduce((s, x) => s + Math.exp(x - max), 0);
    if (maskValues[i]) loss += (Math.log(sum) + max - z[labelValues[i]]) / count;
    for (let j = 0; j < C; j++) grad[i * C + j] = maskValues[i] ? (Math.exp(z[j] - max) / sum - (j === labelValues[i] ? 1 : 0)) / count : 0;
  }
  return { loss, grad };
}

for (const device of await opDevices()) {
  test(`${device}: masked cross-entropy, its gradient and accuracy match the article's y_hat[mask]`, async () => {
    await useDevice(device);
    const expected = crossEntropyByHand();
    tf.tidy(() => {
      const logits = tf.tensor2d(logitsValues, [N, C]);
      const labels = tf.tensor1d(labelValues, 'int32');
      const mask = tf.tensor1d(maskValues);
      const { value, grads } = tf.valueAndGrads((z: tf.Tensor) => softmaxCrossEntropy(z as tf.Tensor2D, labels, mask))([logits]);
      assertClose([value.dataSync()[0]], [expected.loss], 1e-5, 'loss');
      assertClose(grads[0], expected.grad, 1e-5, 'gradient');
      let hits = 0;
      for (let i = 0; i < N; i++) {
        const row = Array.from(logitsValues.subarray(i * C, (i + 1) * C));
        if (maskValues[i] && row.indexOf(Math.max(...row)) === labelValues[i]) hits++;
      }
      assertClose(accuracy(logits, labels, mask), [hits / 4], 1e-6, 'accuracy');
      // The epoch's three numbers in one kernel, differentiable through the train loss only.
      const val = tf.sub(1, mask) as tf.Tensor1D;
      const ss = tf.scalar(4);
      const metrics = epochMetrics(logits, labels, mask, val, ss, 0.5);
      assertClose(metrics, [expected.loss + 0.5 * 2, softmaxCrossEntropy(logits, labels, val).dataSync()[0], accuracy(logits, labels, val).dataSync()[0]], 1e-5, 'epoch metrics');
      const [dz] = tf.grads((z: tf.Tensor) => epochMetrics(z as tf.Tensor2D, labels, mask, val, ss, 0.5))([logits], tf.tensor1d([1, 0, 0]));
      assertClose(dz, expected.grad, 1e-5, 'epoch metrics gradient');
    });
  });

  test(`${device}: reluDropout drops about rate of the entries, scales the rest, and is relu at rate 0`, async () => {
    await useDevice(device);
    tf.tidy(() => {
      const x = tf.tensor2d(randomMatrix(100, 50, 1, 12), [100, 50]);
      assertClose(reluDropout(x, 0, 1), tf.relu(x), 0, 'relu');
      const xs = x.dataSync();
      const y = reluDropout(x, 0.5, 42).dataSync();
      let positive = 0;
      let kept = 0;
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] <= 0) assert.equal(y[i], 0);
        else {
          positive++;
          if (y[i] !== 0) {
            kept++;
            assert.ok(Math.abs(y[i] - 2 * xs[i]) < 1e-6, 'kept entries are scaled by 1 / (1 - rate)');
          }
        }
      }
      assert.ok(Math.abs(kept / positive - 0.5) < 0.05, `kept ${kept} of ${positive}`);
      const dy = tf.onesLike(x);
      const [dx] = tf.grads((t: tf.Tensor) => reluDropout(t as tf.Tensor2D, 0.5, 42))([x], dy);
      const d = dx.dataSync();
      for (let i = 0; i < xs.length; i++) assert.equal(d[i], y[i] !== 0 ? 2 : 0);
      assert.notDeepEqual(Array.from(reluDropout(x, 0.5, 43).dataSync()), Array.from(y), 'another seed, another mask');
    });
  });

  test(`${device}: the L2 term and a fused Adam step match the formulas`, async () => {
    await useDevice(device);
    tf.tidy(() => {
      const p = tf.tensor2d([1, -2, 3, 0.5], [2, 2]);
      const q = tf.tensor1d([2, -1]);
      assertClose(sumSquares([p, q]), [19.25], 1e-6, 'sum of squares');
      const loss = tf.scalar(0.7);
      const { value, grads } = tf.valueAndGrads((l: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => l2Penalty(l as tf.Scalar, [a, b], 0.1))([loss, p, q]);
      const norm = Math.sqrt(19.25);
      assertClose(value, [0.7 + 0.1 * norm], 1e-6, 'loss + wd * norm');
      assertClose(grads[0], [1], 1e-6, 'd/dloss');
      assertClose(grads[1], [1, -2, 3, 0.5].map((x) => (0.1 * x) / norm), 1e-6, 'd/dp = wd * p / norm');

      const grad = tf.tensor2d([0.1, 0.2, -0.3, 0.4], [2, 2]);
      const m = [0.01, 0, 0, -0.02];
      const v = [0.001, 0.002, 0, 0.004];
      const state = tf.tensor1d([...m, ...v]);
      // The L2 term's gradient, 0.1 * p / ||(p, q)||, is folded into the step.
      const r = adamStep(p, grad, state, sumSquares([p, q]), { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 3, weightDecay: 0.1 });
      const [pv, gv] = [p, grad].map((t) => t.dataSync());
      const expected = { p: [] as number[], m: [] as number[], v: [] as number[] };
      for (let i = 0; i < 4; i++) {
        const g = gv[i] + (0.1 * pv[i]) / norm;
        const mi = 0.9 * m[i] + 0.1 * g;
        const vi = 0.999 * v[i] + 0.001 * g * g;
        expected.m.push(mi);
        expected.v.push(vi);
        expected.p.push(pv[i] - (0.01 * mi) / (1 - 0.9 ** 3) / (Math.sqrt(vi / (1 - 0.999 ** 3)) + 1e-8));
      }
      assertClose(r.param, expected.p, 1e-5, 'parameter');
      assertClose(r.state, [...expected.m, ...expected.v], 1e-5, 'moments');
    });
  });
}

test('cpu and wasm draw the same dropout mask from the same seed', async () => {
  const values = randomMatrix(30, 16, 1, 13);
  const masks: number[][] = [];
  for (const device of ['cpu', 'wasm'] as const) {
    await useDevice(device);
    masks.push(tf.tidy(() => Array.from(reluDropout(tf.tensor2d(values, [30, 16]), 0.5, 7).dataSync())));
  }
  assert.deepEqual(masks[0], masks[1]);
});
