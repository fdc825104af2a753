// A cached file without a valid recorded hash is not trusted (verified against its pin, or fetched again), and
// sizes no machine holds are refused before allocating with MemoryLimitError naming what fits. Under a 3 GB limit.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadCora } from '../../src/data/index.js';
import { DATA_DIR } from '../helpers/data-dir.js';
import { serveFiles } from '../helpers/file-server.js';
import { linqsText, tarGz } from '../helpers/linqs.js';
import { coraFile, describeOutcome, PLANETOID_EXTENSIONS, runCli, runLoader } from './limited.js';

describe('cached files without a valid recorded hash', () => {
  it("CiteSeer files planted in the cache are checked against CiteSeer's pinned SHA-256 and removed", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
    try {
      mkdirSync(join(cacheDir, 'citeseer'));
      for (const ext of PLANETOID_EXTENSIONS) writeFileSync(join(cacheDir, 'citeseer', `ind.citeseer.${ext}`), coraFile(ext));
      const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { cacheDir, download: false } });
      assert.equal(report.error, 'DataMissingError', describeOutcome(report.outcome));
      assert.match(report.message!, /dataset 'citeseer' is missing ind\.citeseer\.x, .*downloads are turned off/);
      assert.deepEqual(readdirSync(join(cacheDir, 'citeseer')), [], 'the planted files are gone');

      for (const ext of PLANETOID_EXTENSIONS) writeFileSync(join(cacheDir, 'citeseer', `ind.citeseer.${ext}`), coraFile(ext));
      const offline = await serveFiles(new Map());
      await offline.close();
      const cli = await runCli(['--dataset', 'citeseer'], { GCNLAB_CACHE_DIR: cacheDir, GCNLAB_DATA_URL: offline.baseUrl });
      assert.equal(cli.status, 2, describeOutcome(cli));
      assert.match(cli.stderr, /^gcnlab train: dataset 'citeseer' is missing 8 files \(ind\.citeseer\.x, \.\.\.\)[^\n]*\n$/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  for (const [what, sidecar] of [
    ['no record', undefined],
    ['a record that is not a SHA-256', 'trust me  citeseer.tgz\n'],
    ['a record of other bytes', `${'0'.repeat(64)}  citeseer.tgz\n`],
  ] as const) {
    it(`an unpinned LINQS tarball with ${what} is fetched again, not parsed`, async () => {
      const { content, cites } = linqsText(await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false }));
      const good = tarGz({ 'citeseer/citeseer.cites': cites, 'citeseer/citeseer.content': content });
      const server = await serveFiles(new Map([['/citeseer.tgz', good]]));
      const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
      try {
        mkdirSync(join(cacheDir, 'citeseer'));
        // Planted: a gzip bomb, which parsing would have refused only after inflating 128 MiB.
        writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz'), Buffer.concat(Array<Buffer>(200).fill(gzipSync(Buffer.alloc(2 ** 20)))));
        if (sidecar) writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256'), sidecar);
        const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { format: 'linqs', cacheDir, baseUrl: server.baseUrl } });
        assert.equal(report.ok, true, describeOutcome(report.outcome));
        assert.deepEqual(server.requests, ['/citeseer.tgz']);
      } finally {
        await server.close();
        rmSync(cacheDir, { recursive: true, force: true });
      }
    });
  }
});

describe('sizes no machine holds', () => {
  const CASES = [
    ['syntheticGraph({ nodes: 1e9 })', { call: 'synthetic', options: { nodes: 1e9 } }, /a synthetic graph of 1000000000 nodes .* needs [\d.]+ GiB, more than the [\d.]+ GiB allowed: at most \d+ nodes fit/],
    ['new GCN({ hDim: 1e9 })', { call: 'gcn', options: { xDim: 1433, hDim: 1e9, outDim: 7 } }, /a GCN of 1433 -> 1000000000 -> 7 .* needs [\d.]+ GiB, .*: hDim at most \d+ fits beside xDim 1433 and outDim 7/],
    ['new GCN({ xDim: 1e9 }) (1e9 features)', { call: 'gcn', options: { xDim: 1e9, hDim: 16, outDim: 7 } }, /a GCN of 1000000000 -> 16 -> 7 .*: not even hDim 1 fits beside xDim 1000000000: use fewer input features/],
  ] as const;
  for (const [what, call, message] of CASES) {
    it(`${what}: MemoryLimitError naming the size and what fits, before allocating`, async () => {
      const report = await runLoader(call);
      assert.equal(report.error, 'MemoryLimitError', describeOutcome(report.outcome));
      assert.match(report.message!, message);
    });
  }
});
