// Crafted CSR arrays and test ids (indptr that jumps or goes back, columns out of range, a huge id, 200k ids)
// give a DataFormatError naming the file and field within seconds, under a 3 GB address-space limit; the CLI exits 2.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expectCsr, unpickle } from '../../src/data/pickle.js';
import { assertCliRefusesCraftedCora, coraFile, craftDataDir, describeOutcome, runLoader, type Crafted, type Extension } from './limited.js';

/** Cora's ind.cora.x with one int32 of its indptr or indices array overwritten in place (found by its bytes). */
function patchedX(array: 'indptr' | 'indices', index: number, value: number): Buffer {
  const bytes = Buffer.from(coraFile('x'));
  const csr = expectCsr(unpickle(bytes, 'ind.cora.x'), 'ind.cora.x');
  const raw = Buffer.from(Int32Array.from(csr[array]).buffer);
  const at = bytes.indexOf(raw);
  assert.ok(at > 0 && bytes.indexOf(raw, at + 1) < 0, `Cora's ${array} bytes found once`);
  bytes.writeInt32LE(value, at + 4 * index);
  return bytes;
}

const coraIds = () => coraFile('test.index').toString('latin1').trim().split('\n');

const CASES: [string, Extension, () => Crafted, RegExp][] = [
  ['indptr that jumps to 2^31 - 1', 'x', () => patchedX('indptr', 70, 2 ** 31 - 1), /csr_matrix\.indptr\[71\] = \d+ is less than indptr\[70\] = 2147483647 \(not monotonic\)/],
  ['indptr that goes back', 'x', () => patchedX('indptr', 70, 0), /csr_matrix\.indptr\[70\] = 0 is less than indptr\[69\]/],
  ['indptr ending past nnz', 'x', () => patchedX('indptr', 140, 10 ** 6), /csr_matrix\.indptr ends at 1000000, expected nnz = \d+/],
  ['a column index past the 1433 columns', 'x', () => patchedX('indices', 5, 5000), /csr_matrix\.indices\[5\] = 5000 is outside 0\.\.1432/],
  ['a negative column index', 'x', () => patchedX('indices', 0, -1), /csr_matrix\.indices\[0\] = -1 is outside/],
  ['a test id of 10^8', 'test.index', () => Buffer.from(['100000000', ...coraIds().slice(1)].join('\n')), /file 'ind\.citeseer\.test\.index' could not be read: test id 100000000 is past \d+/],
  ['a test id past int32', 'test.index', () => Buffer.from(['99999999999999', ...coraIds().slice(1)].join('\n')), /line 1 is '99999999999999', expected a node id/],
  ['200 000 test ids', 'test.index', () => Buffer.from(Array.from({ length: 200_000 }, (_, i) => String(1708 + (i % 1000))).join('\n')), /has 200000 ids but tx has 1000 rows/],
];

describe('crafted Planetoid arrays and test ids', () => {
  for (const [what, ext, craft, message] of CASES) {
    it(`${what}: DataFormatError naming ind.citeseer.${ext} and the field, in seconds, under 3 GB; the CLI exits 2 naming the file`, async () => {
      const dir = craftDataDir({ [ext]: craft() });
      try {
        const report = await runLoader({ call: 'planetoid', dir });
        assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
        assert.ok(report.message!.startsWith(`file 'ind.citeseer.${ext}' could not be read: `), report.message);
        assert.match(report.message!, message);

      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // The CLI checks the pinned SHA-256 before parsing: in place of Cora's file it names that file, exit 2, one line.
      await assertCliRefusesCraftedCora(ext, craft());
    });
  }
});
