// A FIFO or a link to /dev/zero in place of a data file, and a gzip bomb in place of a LINQS tarball, are refused
// at once with a DataFormatError naming the file, under a 3 GB address-space limit; the CLI exits 2 with one line.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { serveFiles } from '../helpers/file-server.js';
import { craftDataDir, describeOutcome, runCli, runLoader, type Crafted } from './limited.js';

const SPECIAL: [string, Crafted, RegExp][] = [
  ['a FIFO', { fifo: true }, /it is a named pipe \(FIFO\), not a regular file/],
  ['a link to /dev/zero', { linkTo: '/dev/zero' }, /it is a device, not a regular file/],
  // Holes only: 8 GiB that take no disk, and that reading would have brought into memory.
  ['a sparse 8 GiB file', { sparseBytes: 2 ** 33 }, /it is 8589934592 bytes, more than the 67108864 bytes a dataset file may be/],
];

describe('special and oversized files in place of data files', () => {
  for (const [what, crafted, message] of SPECIAL) {
    it(`${what}: refused at once by the loader and the CLI`, async () => {
      // ind.citeseer.x: the first file read, so no other file's pinned hash is checked before it.
      const dir = craftDataDir({ x: crafted });
      try {
        const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { dataDir: dir } });
        assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
        assert.match(report.message!, /^file '[^']*\/citeseer\/ind\.citeseer\.x' could not be read: /);
        assert.match(report.message!, message);

        const cli = await runCli(['--data-dir', dir, '--dataset', 'citeseer']);
        assert.equal(cli.status, 2, describeOutcome(cli));
        assert.match(cli.stderr, new RegExp(`^gcnlab train: file '[^']*/citeseer/ind\\.citeseer\\.x' could not be read: ${message.source}[^\\n]*\\n$`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** A gzip stream of `gib` x 1024 members of 1 MiB of zeros (1 MB a GiB) that inflates to `gib` GiB. */
function gzipBomb(gib = 1): Buffer {
  return Buffer.concat(Array<Buffer>(1024 * gib).fill(gzipSync(Buffer.alloc(2 ** 20), { level: 9 })));
}

describe('a gzip archive that inflates to 1 or 5 GiB', () => {
  for (const gib of [1, 5]) {
    it(`of ${gib} GiB is refused at 128 MiB when downloaded as a LINQS tarball`, async () => {
      const server = await serveFiles(new Map([['/citeseer.tgz', gzipBomb(gib)]]));
      const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
      try {
        const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { format: 'linqs', cacheDir, baseUrl: server.baseUrl } });
        assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
        assert.match(report.message!, /^file 'citeseer\/citeseer\.tgz \(downloaded from [^)]*\)' could not be read: it inflates to more than 134217728 bytes/);
        assert.deepEqual(readdirSync(join(cacheDir, 'citeseer')), [], 'nothing cached, no .part left');
      } finally {
        await server.close();
        rmSync(cacheDir, { recursive: true, force: true });
      }
    });
  }

  it('is refused at 128 MiB when found in the cache with its recorded hash', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
    try {
      const bomb = gzipBomb();
      mkdirSync(join(cacheDir, 'citeseer'));
      writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz'), bomb);
      writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256'), `${createHash('sha256').update(bomb).digest('hex')}  citeseer.tgz\n`);
      const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { format: 'linqs', cacheDir, download: false } });
      assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
      assert.match(report.message!, /^file 'citeseer\.tgz' could not be read: it inflates to more than 134217728 bytes/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
