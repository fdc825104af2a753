// spmm and matMul as a user meets them: the same numbers and gradients as dense products, on every device.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { CsrMatrix, ShapeError, matMul, sparseMatrix, spmm, useDevice } from '../../src/index.js';
import { spmmFromStockOps } from '../../src/ops/spmm.js';
import { assertClose, opDevices, randomMatrix } from './helpers.js';

after(() => useDevice('cpu'));

const [M, K, N] = [13, 9, 5];
const aDense = randomMatrix(M, K, 0.3, 1);
const bValues = randomMatrix(K, N, 1, 2);
const biasValues = randomMatrix(1, N, 1, 3);
const weights = randomMatrix(M, N, 1, 4);

/** Value and gradients of f(b, bias) for the upstream gradient `weights` (non-uniform on purpose). */
function valueAndGrads(f: (b: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D) {
  const b = tf.tensor2d(bValues, [K, N]);
  const bias = tf.tensor1d(biasValues);
  const w = tf.tensor2d(weights, [M, N]);
  const out = f(b, bias);
  const grads = tf.grads((bb: tf.Tensor, bi: tf.Tensor) => f(bb as tf.Tensor2D, bi as tf.Tensor1D))([b, bias], w);
  return { out: Array.from(out.dataSync()), db: Array.from(grads[0].dataSync()), dbias: Array.from(grads[1].dataSync()) };
}

/** The dense answers, worked out with stock forward ops: A @ b + bias, A^T @ w and the column sums of w. */
function reference() {
  const a = tf.tensor2d(aDense, [M, K]);
  const w = tf.tensor2d(weights, [M, N]);
  const out = tf.add(tf.matMul(a, tf.tensor2d(bValues, [K, N])), tf.tensor1d(biasValues));
  return { out: Array.from(out.dataSync()), db: Array.from(tf.matMul(a, w, true, false).dataSync()), dbias: Array.from(tf.sum(w, 0).dataSync()) };
}

for (const device of await opDevices()) {
  test(`${device}: spmm equals the dense product, with the gradients wrt b and bias`, async () => {
    await useDevice('cpu');
    const expected = tf.tidy(reference);
    await useDevice(device);
    const a = sparseMatrix(CsrMatrix.fromDense(M, K, aDense));
    assert.equal(a.symmetric, false);
    const actual = tf.tidy(() => valueAndGrads((b, bias) => spmm(a, b, bias)));
    assertClose(actual.out, expected.out, 1e-5, 'A @ b + bias');
    assertClose(actual.db, expected.db, 1e-5, 'd/db (A^T @ dy)');
    assertClose(actual.dbias, expected.dbias, 1e-5, 'd/dbias');
    a.dispose();
  });

  test(`${device}: matMul skips zeros yet equals tf.matMul for every transpose, with gradients`, async () => {
    await useDevice('cpu');
    const expected = tf.tidy(reference);
    await useDevice(device);
    const a = tf.tensor2d(aDense, [M, K]);
    const actual = tf.tidy(() => valueAndGrads((b, bias) => matMul(a, b, { bias })));
    assertClose(actual.out, expected.out, 1e-5, 'a @ b + bias');
    assertClose(actual.db, expected.db, 1e-5, 'd/db');
    assertClose(actual.dbias, expected.dbias, 1e-5, 'd/dbias');
    const at = tf.transpose(a) as tf.Tensor2D;
    const b = tf.tensor2d(bValues, [K, N]);
    assertClose(matMul(at, b, { transposeA: true }), tf.matMul(a, b), 1e-5, 'a^T^T @ b');
    assertClose(matMul(b, b, { transposeB: true }), tf.matMul(b, b, false, true), 1e-5, 'b @ b^T');
    assertClose(matMul(at, a, { transposeA: true, transposeB: true }), tf.matMul(a, a, false, true), 1e-5, 'a @ a^T');
    // Wide outputs take the generic loops.
    const wide = tf.tensor2d(randomMatrix(K, 40, 1, 5), [K, 40]);
    assertClose(matMul(a, wide), tf.matMul(a, wide), 1e-5, 'a @ wide');
    assertClose(matMul(at, wide, { transposeA: true }), tf.matMul(a, wide), 1e-5, 'a^T^T @ wide');
    tf.dispose([a, at, b, wide]);
  });

  test(`${device}: a symmetric matrix shares its transpose, and wide products are right`, async () => {
    await useDevice(device);
    const sym = new Float32Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j <= i; j++) sym[i * K + j] = sym[j * K + i] = (i + j) % 3 === 0 ? i - j + 0.5 : 0;
    const a = sparseMatrix(CsrMatrix.fromDense(K, K, sym));
    assert.equal(a.symmetric, true);
    assert.equal(a.transposed, a.a);
    const b = tf.tensor2d(randomMatrix(K, 40, 1, 6), [K, 40]);
    assertClose(spmm(a, b), tf.matMul(tf.tensor2d(sym, [K, K]), b), 1e-5, 'wide spmm');
    const before = tf.memory().numTensors;
    a.dispose();
    a.dispose();
    assert.equal(tf.memory().numTensors, before - 3, 'dispose frees the three CSR arrays once');
    b.dispose();
  });
}

// Its gradient comes from tfjs's stock gradients, which tfjs-node registers (tfjs-core alone does not).
test('the stock-ops fallback (tfjs-node has no gcnlab kernels) gives the same product', async () => {
  await useDevice('cpu');
  const expected = tf.tidy(reference);
  const a = sparseMatrix(CsrMatrix.fromDense(M, K, aDense));
  const actual = tf.tidy(() => Array.from(spmmFromStockOps(a, tf.tensor2d(bValues, [K, N]), tf.tensor1d(biasValues)).dataSync()));
  assertClose(actual, expected.out, 1e-5, 'fallback A @ b + bias');
  a.dispose();
});

test('spmm and matMul refuse operands whose shapes do not agree', async () => {
  await useDevice('cpu');
  const a = sparseMatrix(CsrMatrix.fromDense(M, K, aDense));
  const wrong = tf.zeros([K + 1, N]) as tf.Tensor2D;
  assert.throws(() => spmm(a, wrong), (e: unknown) => e instanceof ShapeError && /\[10,5\]/.test(e.message));
  assert.throws(() => spmm(a, tf.zeros([K, N]) as tf.Tensor2D, tf.zeros([N + 1]) as tf.Tensor1D), ShapeError);
  assert.throws(() => matMul(tf.zeros([M, K]) as tf.Tensor2D, wrong), ShapeError);
  a.dispose();
  wrong.dispose();
});
