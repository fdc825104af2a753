// The pickle reader: numpy arrays byte-exact (byte order, Fortran order, bytes >= 0x80), broken files named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectCsr, expectNdArray, unpickle } from '../../src/data/pickle.js';
import { DataFormatError } from '../../src/errors.js';
import { DATA_DIR } from '../helpers/data-dir.js';

// Written by numpy 1.24 under Python 3 (which stores array bytes as _codecs.encode(text, 'latin1') in protocol 2).
const FIXTURES = {
  // (np.arange(6).reshape(2, 3) * 1.5).astype('>f8'), protocol 2
  bigEndian:
    '8002636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c6174696e317105867106527107877108527109284b014b024b0386710a636e756d70790a64747970650a710b58020000006638710c898887710d52710e284b0358010000003e710f4e4e4e4affffffff4affffffff4b0074711062896803583100000000000000000000003fc3b8000000000000400800000000000040120000000000004018000000000000401e00000000000071116805867112527113747114622e',
  // np.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype='<i4'), protocol 4
  fortran:
    '800495a2000000000000008c156e756d70792e636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b024b03869468038c0564747970659493948c02693494898887945294284b038c013c944e4e4e4affffffff4affffffff4b00749462884318010000000400000002000000050000000300000006000000947494622e',
  // np.array([[128, 255], [0, 1]], dtype='u1'), protocol 2
  highBytes:
    '8002636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c6174696e317105867106527107877108527109284b014b024b0286710a636e756d70790a64747970650a710b58020000007531710c898887710d52710e284b0358010000007c710f4e4e4e4affffffff4affffffff4b00747110628968035806000000c280c3bf000171116805867112527113747114622e',
};
const fixture = (name: keyof typeof FIXTURES) => unpickle(Buffer.from(FIXTURES[name], 'hex'), `${name}.pkl`);

describe('unpickle', () => {
  it('reads big-endian, Fortran-ordered and high-byte numpy arrays exactly', () => {
    const big = expectNdArray(fixture('bigEndian'), 'big', 2);
    assert.deepEqual(big.shape, [2, 3]);
    assert.deepEqual(Array.from(big.data), [0, 1.5, 3, 4.5, 6, 7.5]);
    assert.deepEqual(Array.from(expectNdArray(fixture('fortran'), 'f', 2).data), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(expectNdArray(fixture('highBytes'), 'h', 2).data), [128, 255, 0, 1]);
  });

  it("reads Cora's Python 2 csr_matrix, whose float32 1.0 is the byte 0x80 that a text decoder would mangle", () => {
    const x = expectCsr(unpickle(readFileSync(join(DATA_DIR, 'cora', 'ind.cora.x')), 'ind.cora.x'), 'ind.cora.x');
    assert.equal(x.rows, 140);
    assert.equal(x.cols, 1433);
    assert.ok(x.data.length > 0 && x.data.every((v) => v === 1));
  });

  it('names the file when it is truncated or holds something else', () => {
    const bytes = readFileSync(join(DATA_DIR, 'cora', 'ind.cora.y'));
    assert.throws(() => unpickle(bytes.subarray(0, 1000), 'ind.cora.y'), (e: unknown) => e instanceof DataFormatError && /ind\.cora\.y/.test(e.message));
    assert.throws(() => expectCsr(unpickle(bytes, 'ind.cora.y'), 'ind.cora.y'), (e: unknown) => e instanceof DataFormatError && /expected a pickled scipy\.sparse\.csr_matrix, found a numpy array of shape \(140, 7\)/.test(e.message));
  });
});
