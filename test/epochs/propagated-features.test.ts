// The webgpu epochs' first layer on propagated features: X' W' with X' = [A X | A 1] and W' = [W; b] (the model's
// own parameters, in its order) is the layer's A (X W + b), for a CSR and a dense A, with and without a bias; and a
// run keeps the A products where propagating would not pay or could not be done, saying why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsrMatrix, InvalidOptionError } from '../../src/index.js';
import { keepsFirstProduct, propagateFeatures, PROPAGATE_FEATURES_MAX_TERMS } from '../../src/epochs/webgpu/index.js';
import type { EpochShape } from '../../src/epochs/index.js';

/** A small graph: n nodes, k features (about a third zero), a normalised-looking A with self loops. */
function graphOf(n: number, k: number) {
  let state = 7;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const x = Float32Array.from({ length: n * k }, () => (next() < 0.35 ? 0 : next() - 0.5));
  const dense = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = 0.5;
    for (let j = i + 1; j < n; j++) if (next() < 0.3) dense[i * n + j] = dense[j * n + i] = next();
  }
  return { x, dense, csr: CsrMatrix.fromDense(n, n, dense) };
}

const shapeOf = (n: number, k: number, bias: boolean): EpochShape => ({
  nodes: n, layers: [{ inputs: k, outputs: 3, bias }, { inputs: 3, outputs: 2, bias: true }], features: 'dense', adjacency: 'dense',
  dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-3,
});

for (const bias of [true, false]) {
  for (const layout of ['dense', 'sparse'] as const) {
    test(`${layout} A, bias ${bias}: [A X | A 1] times [W; b] is A (X W + b), and the parameters keep their count`, () => {
      const [n, k, o] = [9, 5, 3];
      const { x, dense, csr } = graphOf(n, k);
      const shape = { ...shapeOf(n, k, bias), adjacency: layout };
      const labels = new Int32Array(n);
      const masks = new Uint8Array(n).fill(1);
      const given = propagateFeatures(shape, { features: x, adjacency: layout === 'dense' ? dense : csr, labels, trainMask: masks, valMask: masks });
      const wide = given.shape.layers[0];
      assert.deepEqual(wide, { inputs: bias ? k + 1 : k, outputs: o, bias: false });
      assert.equal(wide.inputs * wide.outputs, k * o + (bias ? o : 0));
      assert.equal(given.shape.propagatedFeatures, true);
      // W then b, as the model's flat parameters hold them: b is row k of W'.
      const params = Float64Array.from({ length: k * o + o }, (_, i) => Math.sin(i + 1));
      const xp = given.graph.features as Float32Array;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < o; j++) {
          let expected = 0;
          for (let m = 0; m < n; m++) {
            let lin = bias ? params[k * o + j] : 0;
            for (let c = 0; c < k; c++) lin += x[m * k + c] * params[c * o + j];
            expected += dense[i * n + m] * lin;
          }
          let got = 0;
          for (let c = 0; c < wide.inputs; c++) got += xp[i * wide.inputs + c] * params[c * o + j];
          assert.ok(Math.abs(got - expected) < 1e-5, `row ${i}, column ${j}: ${got} where A (X W + b) gives ${expected}`);
        }
      }
    });
  }
}

test('the A products stay where propagating cannot be done or would not pay, and each reason says which', () => {
  const { dense, csr } = graphOf(9, 5);
  const shape = shapeOf(9, 5, true);
  assert.equal(keepsFirstProduct(shape, { adjacency: dense }), null);
  assert.equal(keepsFirstProduct(shape, { adjacency: csr }), null);
  assert.match(keepsFirstProduct({ ...shape, features: 'sparse' }, { adjacency: csr })!, /sparse X/);
  assert.match(keepsFirstProduct({ ...shape, layers: [{ inputs: 5, outputs: 2, bias: true }] }, { adjacency: csr })!, /single layer/);
  const wide = { ...shape, layers: [{ inputs: Math.ceil(PROPAGATE_FEATURES_MAX_TERMS / csr.values.length) + 1, outputs: 3, bias: true }, shape.layers[1]] };
  assert.match(keepsFirstProduct(wide, { adjacency: csr })!, /multiply-adds on the host/);
  // A dense A's count stops once past the bound, so its reason says "at least"; one input fewer is under it.
  // Twice as wide: the count stops near half of A's non-zeros, a number the full count would not give.
  const k = 2 * Math.ceil(PROPAGATE_FEATURES_MAX_TERMS / csr.values.length);
  const wider = { ...shape, layers: [{ inputs: k, outputs: 3, bias: true }, shape.layers[1]] };
  const stoppedAt = Math.floor(PROPAGATE_FEATURES_MAX_TERMS / k) + 1;
  assert.ok(stoppedAt < csr.values.length);
  assert.equal(keepsFirstProduct(wider, { adjacency: dense }), `A X would take at least ${(stoppedAt * k).toExponential(1)} multiply-adds on the host`);
  assert.equal(keepsFirstProduct(wider, { adjacency: csr }), `A X would take ${(csr.values.length * k).toExponential(1)} multiply-adds on the host`);
  const under = { ...shape, layers: [{ inputs: Math.floor(PROPAGATE_FEATURES_MAX_TERMS / csr.values.length), outputs: 3, bias: true }, shape.layers[1]] };
  assert.equal(keepsFirstProduct(under, { adjacency: dense }), null);
  assert.equal(keepsFirstProduct(under, { adjacency: csr }), null);
  assert.match(keepsFirstProduct(shape, { adjacency: csr }, 'off')!, /GCNLAB_WEBGPU_PROPAGATED_FEATURES=off/);
});

test('GCNLAB_WEBGPU_PROPAGATED_FEATURES takes on or off, and names any other value', () => {
  const { csr } = graphOf(9, 5);
  const saved = process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES;
  try {
    process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES = 'off';
    assert.match(keepsFirstProduct(shapeOf(9, 5, true), { adjacency: csr })!, /=off/);
    process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES = 'no';
    assert.throws(() => keepsFirstProduct(shapeOf(9, 5, true), { adjacency: csr }), (e: unknown) => e instanceof InvalidOptionError && /GCNLAB_WEBGPU_PROPAGATED_FEATURES "no": expected 'on' or 'off'/.test(e.message));
  } finally {
    if (saved === undefined) delete process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES;
    else process.env.GCNLAB_WEBGPU_PROPAGATED_FEATURES = saved;
  }
});

test("A X goes up as CSR where under half its entries are non-zero (Cora's: 4.7%), with A X's entries; a denser one as rows", () => {
  // 30 nodes on a ring (each its own and its two neighbours' row), one of 40 features each: A X has 3 of 40 set a row.
  const [n, k] = [30, 40];
  const x = new Float32Array(n * k);
  for (let i = 0; i < n; i++) x[i * k + ((i * 7) % k)] = 1 + i / n;
  const dense = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (const j of [i - 1, i, i + 1]) dense[i * n + ((j + n) % n)] = 1 / 3;
  const labels = new Int32Array(n);
  const masks = new Uint8Array(n).fill(1);
  for (const bias of [false, true]) {
    const given = propagateFeatures({ ...shapeOf(n, k, bias), adjacency: 'sparse' }, { features: x, adjacency: CsrMatrix.fromDense(n, n, dense), labels, trainMask: masks, valMask: masks });
    const wide = bias ? k + 1 : k;
    assert.equal(given.shape.features, 'sparse');
    assert.ok(given.graph.features instanceof CsrMatrix, 'A X is 7.5% non-zero (8% with the bias column), yet not CSR');
    const got = given.graph.features.toDense();
    assert.equal(got.length, n * wide);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < wide; c++) {
        let expected = 0;
        for (let m = 0; m < n; m++) expected += dense[i * n + m] * (c === k ? 1 : x[m * k + c]);
        assert.ok(Math.abs(got[i * wide + c] - expected) < 1e-6, `row ${i}, column ${c}: ${got[i * wide + c]} where A X gives ${expected}`);
      }
    }
  }
  // graphOf's X is two thirds non-zero: its A X stays dense rows.
  const { x: full, csr } = graphOf(9, 5);
  const kept = propagateFeatures(shapeOf(9, 5, true), { features: full, adjacency: csr, labels: new Int32Array(9), trainMask: new Uint8Array(9), valMask: new Uint8Array(9) });
  assert.equal(kept.shape.features, 'dense');
  assert.ok(kept.graph.features instanceof Float32Array);
});
