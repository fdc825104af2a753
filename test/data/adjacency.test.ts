// normalizeAdjacency on graphs small enough to check by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeAdjacency } from '../../src/data/index.js';
import { ShapeError } from '../../src/errors.js';
import { CsrMatrix } from '../../src/sparse/index.js';

const close = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
};

describe('normalizeAdjacency', () => {
  it('computes D^-1/2 (A+I) D^-1/2 of the path 0-1-2', () => {
    // Degrees with the self loop: 2, 3, 2.
    const path = CsrMatrix.fromCoo(3, 3, [0, 1, 1, 2], [1, 0, 2, 1]);
    const a = normalizeAdjacency(path);
    const s6 = 1 / Math.sqrt(6);
    close(a.toDense(), [1 / 2, s6, 0, s6, 1 / 3, s6, 0, s6, 1 / 2]);
  });

  it('makes edges undirected and drops duplicates, self loops and weights before adding I', () => {
    // One directed edge 0->1 (weight 5, given twice), a self loop on 2 and a lone node 3.
    const messy = CsrMatrix.fromCoo(4, 4, [0, 0, 2], [1, 1, 2], [5, 5, 7]);
    const a = normalizeAdjacency(messy);
    close(a.toDense(), [1 / 2, 1 / 2, 0, 0, 1 / 2, 1 / 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(a.rowPtr), [0, 2, 4, 5, 6]);
    assert.deepEqual(Array.from(a.colIndex), [0, 1, 0, 1, 2, 3]);
  });

  it('gives each row of a star the weights a reader can check: centre 1/5, centre-leaf 1/sqrt(10), leaf 1/2', () => {
    const star = CsrMatrix.fromCoo(5, 5, [0, 0, 0, 0], [1, 2, 3, 4]);
    const a = normalizeAdjacency(star);
    close(a.values.subarray(a.rowPtr[0], a.rowPtr[1]), [1 / 5, ...Array(4).fill(1 / Math.sqrt(10))]);
    close(a.values.subarray(a.rowPtr[3], a.rowPtr[4]), [1 / Math.sqrt(10), 1 / 2]);
    const dense = a.toDense();
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) assert.equal(dense[i * 5 + j], dense[j * 5 + i]);
  });

  it('refuses a matrix that is not square', () => {
    assert.throws(() => normalizeAdjacency(CsrMatrix.fromCoo(2, 3, [0], [2])), ShapeError);
  });
});
