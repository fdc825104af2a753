// Downloads into the cache through a local server: verified, never caching a bad file, clear errors offline.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { loadCora, loadDataset, type DownloadProgress } from '../../src/data/index.js';
import { CacheDirError, ChecksumMismatchError, DataFormatError, DataMissingError } from '../../src/errors.js';
import { DATA_DIR, withEnv } from '../helpers/data-dir.js';
import { serveFiles, type FileServer } from '../helpers/file-server.js';
import { linqsText, tarGz } from '../helpers/linqs.js';

const EXTENSIONS = ['x', 'y', 'tx', 'ty', 'allx', 'ally', 'graph', 'test.index'];
const coraFile = (ext: string) => readFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`));
/** No data dir and no env overrides: loads go through the cache, as on a fresh user machine. */
const cacheOnly = { GCNLAB_DATA_DIR: undefined, GCNLAB_CACHE_DIR: undefined, GCNLAB_DATA_URL: undefined };

describe('downloading into the cache', () => {
  const files = new Map<string, Uint8Array>();
  const cutShort = new Set<string>();
  let server: FileServer;
  let cacheDir: string;

  before(async () => {
    server = await serveFiles(files, cutShort);
  });
  after(() => server.close());
  beforeEach(() => {
    files.clear();
    cutShort.clear();
    server.requests.length = 0;
    for (const ext of EXTENSIONS) {
      files.set(`/ind.cora.${ext}`, coraFile(ext));
    }
    cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('fills the cache on first use and reads it offline afterwards', () =>
    withEnv(cacheOnly, async () => {
      const progress: DownloadProgress[] = [];
      const first = await loadCora({ cacheDir, baseUrl: server.baseUrl, onProgress: (p) => progress.push(p) });
      assert.equal(first.numNodes, 2708);
      assert.equal(server.requests.length, 8);
      assert.deepEqual(readdirSync(join(cacheDir, 'cora')).sort(), EXTENSIONS.map((ext) => `ind.cora.${ext}`).sort());
      const last = progress.filter((p) => p.file === 'cora/ind.cora.allx').at(-1);
      assert.equal(last?.receivedBytes, coraFile('allx').length);
      assert.equal(last?.totalBytes, coraFile('allx').length);

      const again = await loadCora({ cacheDir, baseUrl: server.baseUrl, download: false });
      assert.equal(again.numEdges, 5278);
      assert.equal(server.requests.length, 8, 'nothing fetched the second time');
    }));

  it('takes the cache folder and base URL from GCNLAB_CACHE_DIR and GCNLAB_DATA_URL', () =>
    withEnv({ ...cacheOnly, GCNLAB_CACHE_DIR: cacheDir, GCNLAB_DATA_URL: `${server.baseUrl}/` }, async () => {
      assert.equal((await loadCora()).numNodes, 2708);
      assert.ok(existsSync(join(cacheDir, 'cora', 'ind.cora.graph')));
    }));

  it('rejects a truncated download with the expected and actual SHA-256, and caches nothing of it', () =>
    withEnv(cacheOnly, async () => {
      files.set('/ind.cora.allx', coraFile('allx').subarray(0, 100_000));
      await assert.rejects(loadCora({ cacheDir, baseUrl: server.baseUrl }), (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError);
        assert.match(error.message, /cora\/ind\.cora\.allx/);
        assert.equal(error.expected, '9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543');
        assert.notEqual(error.actual, error.expected);
        // Downloaded from a base URL: nothing to delete, the server is what to check.
        assert.match(error.message, /Nothing was cached: try again, or check that the base URL \(GCNLAB_DATA_URL or the baseUrl option\) serves the original ind\.cora\.allx, as https:\/\/github\.com\/kimiyoung\/planetoid\/raw\/master\/data\/ind\.cora\.allx does/);
        assert.doesNotMatch(error.message, /Delete it/);
        return true;
      });
      const cached = readdirSync(join(cacheDir, 'cora'));
      assert.ok(!cached.includes('ind.cora.allx'), 'the bad file is not cached');
      assert.ok(!cached.some((name) => name.endsWith('.part')), 'no temp file left behind');
    }));

  it('reports a connection dropped mid-file as missing data, and caches nothing of it', () =>
    withEnv(cacheOnly, async () => {
      cutShort.add('/ind.cora.tx');
      await assert.rejects(loadCora({ cacheDir, baseUrl: server.baseUrl }), (error: unknown) => {
        assert.ok(error instanceof DataMissingError);
        assert.deepEqual(error.missing, ['ind.cora.tx']);
        assert.match(error.message, new RegExp(`cut short after \\d+ of ${coraFile('tx').length} bytes`));
        return true;
      });
      assert.deepEqual(readdirSync(join(cacheDir, 'cora')).filter((name) => name.includes('.tx')), []);
    }));

  it('rejects a corrupted download of the right length', () =>
    withEnv(cacheOnly, async () => {
      const corrupt = Buffer.from(coraFile('graph'));
      corrupt[30_000] ^= 0xff;
      files.set('/ind.cora.graph', corrupt);
      await assert.rejects(loadCora({ cacheDir, baseUrl: server.baseUrl }), ChecksumMismatchError);
      assert.ok(!existsSync(join(cacheDir, 'cora', 'ind.cora.graph')));
    }));

  it('fetches a cached file again when it was corrupted on disk', () =>
    withEnv(cacheOnly, async () => {
      await loadCora({ cacheDir, baseUrl: server.baseUrl });
      writeFileSync(join(cacheDir, 'cora', 'ind.cora.ty'), 'garbage');
      server.requests.length = 0;
      assert.equal((await loadCora({ cacheDir, baseUrl: server.baseUrl })).numNodes, 2708);
      assert.deepEqual(server.requests, ['/ind.cora.ty']);
    }));

  it('checks files without a pinned checksum (LINQS tarballs) by parsing them, records their hash, and rejects a broken one', () =>
    withEnv(cacheOnly, async () => {
      const { content, cites } = linqsText(await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false }));
      const archive = tarGz({ 'citeseer/citeseer.cites': cites, 'citeseer/citeseer.content': content });
      files.set('/citeseer.tgz', archive.subarray(0, 5000));
      await assert.rejects(loadDataset('citeseer', { cacheDir, baseUrl: server.baseUrl, format: 'linqs' }), (error: unknown) => {
        assert.ok(error instanceof DataFormatError);
        assert.match(error.message, /citeseer\/citeseer\.tgz/);
        return true;
      });
      assert.ok(!existsSync(join(cacheDir, 'citeseer', 'citeseer.tgz')));

      files.set('/citeseer.tgz', archive);
      assert.equal((await loadDataset('citeseer', { cacheDir, baseUrl: server.baseUrl, format: 'linqs' })).numNodes, 2708);
      const recorded = readFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256'), 'utf8');
      assert.match(recorded, new RegExp(`^${createHash('sha256').update(archive).digest('hex')}\\s+citeseer\\.tgz`));
    }));

  it('fetches an unpinned cached file again when its recorded hash is missing', () =>
    withEnv(cacheOnly, async () => {
      const { content, cites } = linqsText(await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false }));
      files.set('/citeseer.tgz', tarGz({ 'citeseer/citeseer.cites': cites, 'citeseer/citeseer.content': content }));
      await loadDataset('citeseer', { cacheDir, baseUrl: server.baseUrl, format: 'linqs' });
      rmSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256'));
      server.requests.length = 0;
      await loadDataset('citeseer', { cacheDir, baseUrl: server.baseUrl, format: 'linqs' });
      assert.deepEqual(server.requests, ['/citeseer.tgz'], 'the file without its record was not trusted');
      assert.ok(existsSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256')));
    }));

  it("downloads LINQS's tarball for the article's files", () =>
    withEnv(cacheOnly, async () => {
      const { content, cites } = linqsText(await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false }));
      files.set('/cora.tgz', tarGz({ 'cora/README': 'LINQS Cora', 'cora/cora.cites': cites, 'cora/cora.content': content }));
      const graph = await loadCora({ cacheDir, baseUrl: server.baseUrl, format: 'linqs' });
      assert.deepEqual([graph.format, graph.numNodes, graph.numEdges], ['linqs', 2708, 5278]);
      assert.ok(existsSync(join(cacheDir, 'cora', 'cora.tgz')));
    }));

  it('says which files are missing, the URLs and GCNLAB_DATA_DIR when the server lacks them', () =>
    withEnv(cacheOnly, async () => {
      files.delete('/ind.cora.x');
      await assert.rejects(loadCora({ cacheDir, baseUrl: server.baseUrl }), (error: unknown) => {
        assert.ok(error instanceof DataMissingError);
        assert.deepEqual(error.missing, ['ind.cora.x']);
        assert.match(error.message, /HTTP 404/);
        assert.match(error.message, /GCNLAB_DATA_DIR/);
        assert.ok(error.message.includes(`${server.baseUrl}/ind.cora.x`));
        return true;
      });
    }));
});

describe('offline', () => {
  it('fails with DataMissingError naming GCNLAB_DATA_DIR and the public URLs when nothing answers', () =>
    withEnv(cacheOnly, async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
      try {
        const closed = await serveFiles(new Map());
        await closed.close(); // its port now refuses connections
        await assert.rejects(loadCora({ cacheDir, baseUrl: closed.baseUrl }), (error: unknown) => {
          assert.ok(error instanceof DataMissingError);
          assert.equal(error.missing.length, 8);
          assert.match(error.message, /GCNLAB_DATA_DIR/);
          assert.match(error.message, /ECONNREFUSED \(ind\.cora\.x\); the other 7 not tried/);
          assert.equal(error.downloadFailure, 'ECONNREFUSED');
          return true;
        });
        // Cora ships with gcnlab; CiteSeer is only ever downloaded.
        await assert.rejects(loadDataset('citeseer', { cacheDir, download: false }), (error: unknown) => {
          assert.ok(error instanceof DataMissingError);
          assert.match(error.message, /GCNLAB_DATA_DIR/);
          assert.ok(error.message.includes('https://github.com/kimiyoung/planetoid/raw/master/data/ind.citeseer.x'));
          return true;
        });
        assert.deepEqual(readdirSync(cacheDir).flatMap((d) => readdirSync(join(cacheDir, d))), []);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }));
});

describe('a cache folder that cannot take the files', () => {
  it('a file where the cache should be: CacheDirError naming it and GCNLAB_CACHE_DIR, before anything is fetched', () =>
    withEnv(cacheOnly, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
      const server = await serveFiles(new Map());
      try {
        const file = join(dir, 'not-a-folder');
        writeFileSync(file, 'x');
        await assert.rejects(loadDataset('citeseer', { cacheDir: file, baseUrl: server.baseUrl }), (error: unknown) => {
          assert.ok(error instanceof CacheDirError);
          assert.equal(error.dir, file);
          assert.ok(error.message.includes(`${file} is a file, not a folder`), error.message);
          assert.match(error.message, /Set GCNLAB_CACHE_DIR \(or the cacheDir option\) to a folder you can write, or GCNLAB_DATA_DIR to a folder holding citeseer\//);
          return true;
        });
        assert.deepEqual(server.requests, []);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('a folder that cannot be made (under /proc): CacheDirError at once, where a recursive mkdir never returns', { skip: !existsSync('/proc/self') }, () =>
    withEnv(cacheOnly, async () => {
      const server = await serveFiles(new Map());
      try {
        await assert.rejects(loadDataset('citeseer', { cacheDir: '/proc/gcnlab-cache', baseUrl: server.baseUrl }), (error: unknown) => {
          assert.ok(error instanceof CacheDirError);
          assert.match(error.message, /\/proc\/gcnlab-cache cannot be made \(E[A-Z]+\)/);
          return true;
        });
      } finally {
        await server.close();
      }
    }));
});
