// loadDataset's choices and refusals: the shipped Cora, unknown names and formats, data directories with missing or corrupt files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KNOWN_SHA256 } from '../../src/data/checksums.js';
import { DATASET_NAMES, loadCora, loadDataset } from '../../src/data/index.js';
import { ChecksumMismatchError, DataMissingError, InvalidOptionError, UnknownDatasetError } from '../../src/errors.js';
import { DATA_DIR, REPO_ROOT, withEnv } from '../helpers/data-dir.js';

const EXTENSIONS = ['x', 'y', 'tx', 'ty', 'allx', 'ally', 'graph', 'test.index'];

describe('loadDataset', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gcnlab-datadir-'));
    mkdirSync(join(dir, 'cora'));
    for (const ext of EXTENSIONS) copyFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`), join(dir, 'cora', `ind.cora.${ext}`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('knows cora, citeseer and pubmed, and refuses other names with the list', async () => {
    assert.deepEqual([...DATASET_NAMES], ['cora', 'citeseer', 'pubmed']);
    await assert.rejects(loadDataset('reddit', { dataDir: dir }), (error: unknown) => {
      assert.ok(error instanceof UnknownDatasetError);
      assert.match(error.message, /'reddit'.*cora, citeseer, pubmed/);
      return true;
    });
  });

  it('refuses an unknown format, and LINQS for PubMed', async () => {
    await assert.rejects(loadDataset('cora', { dataDir: dir, format: 'csv' as 'linqs' }), InvalidOptionError);
    await assert.rejects(loadDataset('pubmed', { dataDir: dir, format: 'linqs' }), InvalidOptionError);
  });

  it('reads GCNLAB_DATA_DIR when no dataDir is given', () =>
    withEnv({ GCNLAB_DATA_DIR: dir }, async () => {
      assert.equal((await loadDataset('cora')).numNodes, 2708);
    }));

  it('names GCNLAB_DATA_DIR, the folder and the public URLs when files are missing there', () =>
    withEnv({ GCNLAB_DATA_DIR: dir }, async () => {
      await assert.rejects(loadDataset('pubmed'), (error: unknown) => {
        assert.ok(error instanceof DataMissingError);
        assert.equal(error.missing.length, 8);
        assert.match(error.message, new RegExp(`GCNLAB_DATA_DIR=${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        assert.ok(error.message.includes('https://github.com/kimiyoung/planetoid/raw/master/data/ind.pubmed.graph'));
        return true;
      });
    }));

  it('says a data folder that is a file is a file, not that its files are missing from a folder inside it', async () => {
    const file = join(dir, 'cora', 'ind.cora.x');
    await assert.rejects(loadDataset('cora', { dataDir: file }), (error: unknown) => {
      assert.ok(error instanceof DataMissingError);
      assert.ok(error.message.includes(`the dataDir option (${file}) is a file, not a folder: name the folder that holds cora/ with its files`), error.message);
      assert.doesNotMatch(error.message, /not found in/);
      return true;
    });
  });

  it('detects a corrupted Cora file in a data directory by its checksum, and says to replace it, not to download it again', async () => {
    const corrupt = mkdtempSync(join(tmpdir(), 'gcnlab-corrupt-'));
    try {
      mkdirSync(join(corrupt, 'cora'));
      for (const ext of EXTENSIONS) copyFileSync(join(dir, 'cora', `ind.cora.${ext}`), join(corrupt, 'cora', `ind.cora.${ext}`));
      writeFileSync(join(corrupt, 'cora', 'ind.cora.test.index'), '1708\n1709\n');
      const url = 'https://github.com/kimiyoung/planetoid/raw/master/data/ind.cora.test.index';
      const refusedHere = (fix: RegExp) => (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError);
        assert.match(error.message, /ind\.cora\.test\.index/);
        assert.equal(error.expected, '297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875');
        assert.ok(error.message.includes(`replace it with an intact copy of ${url}`), error.message);
        assert.match(error.message, fix);
        assert.doesNotMatch(error.message, /download it again|not cached/);
        return true;
      };
      await assert.rejects(loadDataset('cora', { dataDir: corrupt }), refusedHere(/or leave the dataDir option \(.*\) out to use gcnlab's own copy/));
      await withEnv({ GCNLAB_DATA_DIR: corrupt }, () =>
        assert.rejects(loadDataset('cora'), refusedHere(/or unset GCNLAB_DATA_DIR \(=.*\) to use gcnlab's own copy \(the one shipped with it, or downloaded into its cache\)/)),
      );
    } finally {
      rmSync(corrupt, { recursive: true, force: true });
    }
  });
});

describe('the Cora shipped with gcnlab', () => {
  const noData = { GCNLAB_DATA_DIR: undefined, GCNLAB_DATA_URL: undefined };
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gcnlab-datadir-'));
    mkdirSync(join(dir, 'cora'));
    for (const ext of EXTENSIONS) copyFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`), join(dir, 'cora', `ind.cora.${ext}`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads with no data folder and an empty cache, without downloading (nothing lands in the cache)', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-empty-cache-'));
    try {
      await withEnv({ ...noData, GCNLAB_CACHE_DIR: cacheDir }, async () => {
        const cora = await loadCora();
        assert.deepEqual([cora.numNodes, cora.numFeatures, cora.numClasses, cora.numEdges], [2708, 1433, 7, 5278]);
        assert.deepEqual(readdirSync(cacheDir), []);
        // download: false (no network allowed) still finds it.
        assert.equal((await loadCora({ download: false })).numNodes, 2708);
      });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('is the Planetoid files byte for byte, with their pinned SHA-256 and MIT licence', () => {
    const shipped = join(REPO_ROOT, 'data', 'cora');
    for (const ext of EXTENSIONS) {
      const name = `ind.cora.${ext}`;
      const sum = createHash('sha256').update(readFileSync(join(shipped, name))).digest('hex');
      assert.equal(sum, KNOWN_SHA256[`cora/${name}`], name);
    }
    assert.match(readFileSync(join(shipped, 'LICENSE'), 'utf8'), /MIT License[\s\S]*Zhilin Yang/);
    assert.ok(existsSync(join(shipped, 'README.md')));
  });

  it("names Cora's seven topics, matched to the labels by class size", async () => {
    const cora = await loadCora({ dataDir: dir });
    const sizes = new Map<string, number>();
    for (const label of cora.labels) sizes.set(cora.classNames![label], (sizes.get(cora.classNames![label]) ?? 0) + 1);
    // LINQS's cora.content: each topic's paper count.
    assert.deepEqual(Object.fromEntries(sizes), {
      Case_Based: 298, Genetic_Algorithms: 418, Neural_Networks: 818, Probabilistic_Methods: 426,
      Reinforcement_Learning: 217, Rule_Learning: 180, Theory: 351,
    });
  });
});
