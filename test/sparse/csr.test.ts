// CsrMatrix: building from triples or dense arrays, and the views other rooms rely on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../../src/errors.js';
import { CsrMatrix } from '../../src/sparse/index.js';

describe('CsrMatrix', () => {
  // [[0, 2, 0], [1, 0, 3]]
  const m = CsrMatrix.fromCoo(2, 3, [1, 0, 1], [2, 1, 0], [3, 2, 1]);

  it('sorts columns within a row and sums duplicate triples', () => {
    assert.deepEqual(Array.from(m.rowPtr), [0, 1, 3]);
    assert.deepEqual(Array.from(m.colIndex), [1, 0, 2]);
    assert.deepEqual(Array.from(m.values), [2, 1, 3]);
    const summed = CsrMatrix.fromCoo(1, 2, [0, 0, 0], [1, 1, 0], [1, 2, 5]);
    assert.deepEqual(Array.from(summed.values), [5, 3]);
    assert.equal(summed.nnz, 2);
  });

  it('round-trips through dense and reports its shape and sparsity', () => {
    assert.deepEqual(Array.from(m.toDense()), [0, 2, 0, 1, 0, 3]);
    assert.deepEqual(CsrMatrix.fromDense(2, 3, m.toDense()), m);
    assert.deepEqual(m.shape, [2, 3]);
    assert.equal(m.sparsity, 0.5);
  });

  it('transposes and selects rows', () => {
    assert.deepEqual(Array.from(m.transpose().toDense()), [0, 1, 2, 0, 0, 3]);
    assert.deepEqual(Array.from(m.selectRows([1, 1, 0]).toDense()), [1, 0, 3, 1, 0, 3, 0, 2, 0]);
  });

  it('refuses inconsistent arrays and out-of-range triples with ShapeError', () => {
    assert.throws(() => new CsrMatrix(2, 2, new Int32Array([0, 1]), new Int32Array(1), new Float32Array(1)), ShapeError);
    assert.throws(() => new CsrMatrix(1, 2, new Int32Array([0, 2]), new Int32Array(1), new Float32Array(1)), ShapeError);
    assert.throws(() => CsrMatrix.fromCoo(2, 2, [0], [2]), ShapeError);
    assert.throws(() => CsrMatrix.fromDense(2, 2, [1, 2, 3]), ShapeError);
  });
});
