// CSR arrays handed to CsrMatrix (the runtime's own sparse input): row pointers that jump, go back or do not start
// at 0, and column indices outside the matrix are refused when the matrix is built, with InvalidMatrixError naming
// the field and entry. Before, such a matrix was accepted: toDense and transpose dropped or misplaced entries
// silently (training on wrong data), and selectRows sized its arrays from a jumping pointer (heap exhaustion).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidMatrixError } from '../../src/errors.js';
import { CsrMatrix } from '../../src/sparse/index.js';
import { describeOutcome, runLoader } from './limited.js';

/** Two rows, three columns, two entries: [[1, 0, 0], [0, 0, 2]] when the arrays are right. */
const CASES: [string, { rows?: number; cols?: number; rowPtr: number[]; colIndex: number[] }, RegExp][] = [
  ['a row pointer that jumps to 2^31 - 1', { rowPtr: [0, 2 ** 31 - 1, 2], colIndex: [0, 2] }, /rowPtr\[2\] = 2 is less than rowPtr\[1\] = 2147483647 \(row pointers never decrease\)/],
  ['a row pointer that goes back', { rowPtr: [0, 2, 1, 2], rows: 3, colIndex: [0, 2] }, /rowPtr\[2\] = 1 is less than rowPtr\[1\] = 2/],
  ['a first row pointer that is not 0', { rowPtr: [1, 1, 2], colIndex: [0, 2] }, /rowPtr\[0\] = 1, expected 0/],
  ['a column index past the last column', { rowPtr: [0, 1, 2], colIndex: [0, 3] }, /colIndex\[1\] = 3 is outside 0\.\.2/],
  ['a negative column index', { rowPtr: [0, 1, 2], colIndex: [-1, 2] }, /colIndex\[0\] = -1 is outside 0\.\.2/],
  ['a fractional row count', { rows: 1.5, rowPtr: [0, 1, 2], colIndex: [0, 2] }, /rows = 1\.5, expected a whole number from 0/],
];

describe('crafted CSR arrays', () => {
  for (const [what, arrays, message] of CASES) {
    it(`${what}: InvalidMatrixError naming the field when the matrix is built`, () => {
      const build = () =>
        new CsrMatrix(arrays.rows ?? 2, arrays.cols ?? 3, Int32Array.from(arrays.rowPtr), Int32Array.from(arrays.colIndex), Float32Array.of(1, 2));
      assert.throws(build, (error: unknown) => {
        assert.ok(error instanceof InvalidMatrixError, `got ${String(error)}`);
        assert.match(error.message, /^CSR matrix \([\d.]+ x 3\) is not valid: /);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('fromCoo and fromDense refuse sizes that are not whole int32 counts (1e12, NaN, -1, 2.5) before allocating', () => {
    for (const rows of [1e12, NaN, -1, 2.5]) {
      assert.throws(() => CsrMatrix.fromCoo(rows, 3, [0], [0]), (error: unknown) => error instanceof InvalidMatrixError && /rows = .*, expected a whole number from 0 to 2147483647/.test(error.message), String(rows));
      assert.throws(() => CsrMatrix.fromDense(1, rows, [1]), (error: unknown) => error instanceof InvalidMatrixError && /cols = /.test(error.message), String(rows));
    }
  });

  it('a sound matrix still builds, transposes and selects rows', () => {
    const m = new CsrMatrix(2, 3, Int32Array.of(0, 1, 2), Int32Array.of(0, 2), Float32Array.of(1, 2));
    assert.deepEqual(Array.from(m.transpose().toDense()), [1, 0, 0, 0, 0, 2]);
    assert.deepEqual(Array.from(m.selectRows([1, 0]).toDense()), [0, 0, 2, 1, 0, 0]);
  });

  it('selectRows refuses a row outside the matrix instead of sizing arrays from undefined pointers', () => {
    const m = new CsrMatrix(2, 3, Int32Array.of(0, 1, 2), Int32Array.of(0, 2), Float32Array.of(1, 2));
    assert.throws(() => m.selectRows([0, 2]), (error: unknown) => error instanceof InvalidMatrixError && /row 2 \(entry 1\) is outside 0\.\.1/.test(error.message));
    assert.throws(() => m.selectRows([-1]), InvalidMatrixError);
  });

  it('a jumping row pointer under 3 GB: refused in seconds, where selectRows would have sized 8 GiB', async () => {
    const report = await runLoader({ call: 'csr', rows: 2, cols: 3, rowPtr: [0, 2 ** 31 - 1, 2], colIndex: [0, 2], values: [1, 2] });
    assert.equal(report.error, 'InvalidMatrixError', describeOutcome(report.outcome));
    assert.match(report.message!, /rowPtr\[2\] = 2 is less than rowPtr\[1\] = 2147483647/);
  });
});
