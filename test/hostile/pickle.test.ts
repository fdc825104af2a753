// Crafted pickles (negative and huge lengths, _codecs.encode abuse, memo amplification, deep nesting) give a
// DataFormatError naming the file and byte within seconds, under a 3 GB address-space limit; the CLI exits 2.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertCliRefusesCraftedCora, craftDataDir, describeOutcome, runCli, runLoader } from './limited.js';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const int32 = (n: number) => [...new Uint8Array(Int32Array.of(n).buffer)];
const CODECS = '\x80\x02c_codecs\nencode\nq\x00';

/** 1 MiB of text stored once, then passed to _codecs.encode `times` times through the memo. */
function memoRepeats(times: number): Buffer {
  const body: (number[] | string)[] = [CODECS, 'X', int32(2 ** 20), 'a'.repeat(2 ** 20), 'q\x01', 'U\x06latin1q\x02', ']q\x03('];
  for (let i = 0; i < times; i++) body.push('h\x00h\x01h\x02\x86R');
  body.push('e.');
  return bytes(...body);
}

const CASES: [string, Buffer][] = [
  ['a 6-byte BINSTRING with a negative length', bytes('T', int32(-1), '.')],
  ['a 6-byte BINBYTES with a length past the end', bytes('B', int32(-2), '.')],
  ['a 5-byte BINUNICODE announcing 2 GB', bytes('X', int32(2 ** 31 - 1))],
  ['a 5-byte BINBYTES announcing 2 GB', bytes('B', int32(2 ** 31 - 1))],
  ['a 36-byte _codecs.encode of a number', bytes(CODECS, 'J', int32(1e9), 'U\x06latin1\x86R.')],
  // 4.5 GB of float64 declared, 0 bytes of data given by _codecs.encode: refused before the array is made.
  [
    'a numpy array of 560 million float64 whose data is an empty _codecs.encode',
    bytes('\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01J', int32(560_000_000), '\x85cnumpy\ndtype\nU\x02f8K\x00K\x01\x87R\x89c_codecs\nencode\nX', int32(0), 'U\x06latin1\x86Rtb.'),
  ],
  ['_codecs.encode of a list', bytes(CODECS, ']J', int32(1e9), 'aU\x06latin1\x86R.')],
  ['_codecs.encode of one 1 MiB text 5000 times through the memo', memoRepeats(5000)],
  ['300 000 nested MARKs', bytes('\x80\x02', '('.repeat(300_000))],
  ['3 million empty lists', bytes('\x80\x02', ']'.repeat(3_000_000))],
  ['a numpy array of shape (2^31, 2^31)', bytes('\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01J\xff\xff\xff\x7fJ\xff\xff\xff\x7f\x86cnumpy\ndtype\nU\x02f8K\x00K\x01\x87R\x89U\x00tb.')],
  ['a global that runs code (os.system)', bytes('\x80\x02cos\nsystem\nU\x04trueq\x00\x85R.')],
];

describe('crafted pickles', () => {
  for (const [what, pickle] of CASES) {
    it(`${what}: DataFormatError naming the file and byte, in seconds, under 3 GB; the CLI exits 2 naming the file`, async () => {
      const dir = craftDataDir({ x: pickle });
      try {
        const report = await runLoader({ call: 'planetoid', dir });
        assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
        assert.match(report.message!, /file 'ind\.citeseer\.x' could not be read: not a readable pickle: at byte \d+/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // In place of Cora's x: the CLI checks the pinned SHA-256 first and names the file, exit 2, one line.
      await assertCliRefusesCraftedCora('x', pickle);
    });
  }

  it("through the CLI: exit 2 and one line naming the file (its SHA-256 is not CiteSeer's)", async () => {
    const dir = craftDataDir({ x: CASES[0][1] });
    try {
      const cli = await runCli(['--data-dir', dir, '--dataset', 'citeseer']);
      assert.equal(cli.status, 2, describeOutcome(cli));
      assert.match(cli.stderr, /^gcnlab train: file '[^']*ind\.citeseer\.x' is corrupt or truncated: SHA-256 \w+ but expected d20de191[^\n]*\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
