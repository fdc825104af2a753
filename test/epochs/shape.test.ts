// The epoch shape that every fused engine reads: its parameter order is the model's own, its arrays cover every
// layer, and a layer list that does not chain is refused with a ShapeError naming the layer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backwardBuffers, checkEpochShape, epochBuffers, gradientOf, parameterSlots } from '../../src/epochs/index.js';
import { GCN, ShapeError } from '../../src/index.js';

const layersOf = (gcn: GCN) => gcn.gcnLayers.map(({ linear: l }) => ({ inputs: l.inFeatures, outputs: l.outFeatures, bias: l.bias !== null }));

for (const nbLayers of [0, 1, 2, 3]) {
  for (const bias of [true, false]) {
    test(`nbLayers ${nbLayers}, bias ${bias}: parameter slots follow GCN.parameters() (each layer's W, then its b)`, () => {
      const gcn = new GCN({ xDim: 11, hDim: 6, outDim: 3, nbLayers, bias });
      const { slots, count } = parameterSlots(layersOf(gcn));
      const params = gcn.parameters();
      const offsets: number[] = [];
      params.reduce((at, p) => (offsets.push(at), at + p.size), 0);
      assert.equal(count, params.reduce((n, p) => n + p.size, 0));
      assert.deepEqual(slots.flatMap((s) => (s.bias === null ? [s.weight] : [s.weight, s.bias])), offsets);
      assert.equal(slots.length, nbLayers + 1);
      gcn.dispose();
    });
  }
}

test('epoch arrays: one lin and prop per layer, hidden for all but the last, and the backward never writes where it reads', () => {
  const shape = { nodes: 5, layers: [{ inputs: 4, outputs: 3, bias: true }, { inputs: 3, outputs: 3, bias: false }, { inputs: 3, outputs: 2, bias: true }] };
  const names = epochBuffers(shape).map((b) => b.name);
  assert.deepEqual(names, ['params', 'grads', 'm', 'v', 'dz', 'lin0', 'prop0', 'hidden0', 'lin1', 'prop1', 'hidden1', 'lin2', 'prop2']);
  assert.equal(epochBuffers(shape).find((b) => b.name === 'params')!.length, 4 * 3 + 3 + 3 * 3 + 3 * 2 + 2);
  for (let i = 0; i < 3; i++) {
    const { dLin, dInput, dBelow } = backwardBuffers(shape, i);
    const g = gradientOf(shape, i);
    assert.notEqual(dLin, g, `layer ${i}: A^T @ g written over g`);
    if (i > 0) {
      assert.notEqual(dInput, dLin, `layer ${i}: dLin @ W^T written over dLin`);
      assert.equal(dBelow, gradientOf(shape, i - 1));
      assert.notEqual(dBelow, dInput);
      assert.ok(!dBelow!.startsWith('hidden') && !dInput!.startsWith('hidden'), 'relu-dropout outputs are read by the backward');
    }
  }
});

test('a layer list that does not chain is refused with a ShapeError naming the layer', () => {
  assert.throws(
    () => checkEpochShape({ layers: [{ inputs: 10, outputs: 16, bias: true }, { inputs: 8, outputs: 3, bias: true }] }),
    (e: unknown) => e instanceof ShapeError && /layer 1 taking 16 inputs/.test(e.message) && /10x16, 8x3/.test(e.message),
  );
  assert.throws(() => checkEpochShape({ layers: [] }), ShapeError);
  assert.throws(() => checkEpochShape({ layers: [{ inputs: 0, outputs: 3, bias: true }] }), /epoch layer 0/);
});
