// loadDataset's choices and refusals: unknown names and formats, data directories with missing or corrupt files.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATASET_NAMES, loadDataset } from '../../src/data/index.js';
import { ChecksumMismatchError, DataMissingError, InvalidOptionError, UnknownDatasetError } from '../../src/errors.js';
import { DATA_DIR, withEnv } from '../helpers/data-dir.js';

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

  it('detects a corrupted Cora file in a data directory by its checksum', async () => {
    const corrupt = mkdtempSync(join(tmpdir(), 'gcnlab-corrupt-'));
    try {
      mkdirSync(join(corrupt, 'cora'));
      for (const ext of EXTENSIONS) copyFileSync(join(dir, 'cora', `ind.cora.${ext}`), join(corrupt, 'cora', `ind.cora.${ext}`));
      writeFileSync(join(corrupt, 'cora', 'ind.cora.test.index'), '1708\n1709\n');
      await assert.rejects(loadDataset('cora', { dataDir: corrupt }), (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError);
        assert.match(error.message, /ind\.cora\.test\.index/);
        assert.equal(error.expected, '297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875');
        return true;
      });
    } finally {
      rmSync(corrupt, { recursive: true, force: true });
    }
  });
});
