// Planetoid loading of the real Cora files: counts, the public split, features and adjacency as PyG has them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadCora, loadDataset, type Graph } from '../../src/data/index.js';
import { countMask } from '../../src/data/masks.js';
import { PLANETOID_EXTENSIONS, planetoidGraph } from '../../src/data/planetoid.js';
import { DATA_DIR } from '../helpers/data-dir.js';

function rowSum(matrix: Graph['features'], row: number): number {
  let sum = 0;
  for (let k = matrix.rowPtr[row]; k < matrix.rowPtr[row + 1]; k++) sum += matrix.values[k];
  return sum;
}

describe('Planetoid Cora', () => {
  let cora: Graph;
  before(async () => {
    cora = await loadCora({ dataDir: DATA_DIR });
  });

  it('has the published counts: 2708 nodes, 1433 features, 7 classes, 5278 undirected edges', () => {
    assert.equal(cora.name, 'cora');
    assert.equal(cora.format, 'planetoid');
    assert.equal(cora.numNodes, 2708);
    assert.equal(cora.numFeatures, 1433);
    assert.equal(cora.numClasses, 7);
    assert.equal(cora.numEdges, 5278);
    assert.deepEqual(cora.features.shape, [2708, 1433]);
    assert.deepEqual(cora.adjacency.shape, [2708, 2708]);
    assert.equal(cora.adjacency.nnz, 2 * 5278 + 2708, 'both directions of each edge plus the self loops');
  });

  it('uses the public split: 140 train (20 per class), 500 validation, 1000 test, disjoint', () => {
    assert.equal(countMask(cora.trainMask), 140);
    assert.equal(countMask(cora.valMask), 500);
    assert.equal(countMask(cora.testMask), 1000);
    assert.ok(cora.trainMask.subarray(0, 140).every((m) => m === 1));
    assert.ok(cora.valMask.subarray(140, 640).every((m) => m === 1));
    assert.ok(cora.testMask.subarray(1708).every((m) => m === 1));
    for (let i = 0; i < cora.numNodes; i++) assert.ok(cora.trainMask[i] + cora.valMask[i] + cora.testMask[i] <= 1);
    const perClass = new Array(7).fill(0);
    cora.labels.forEach((label, i) => (perClass[label] += cora.trainMask[i]));
    assert.deepEqual(perClass, [20, 20, 20, 20, 20, 20, 20]);
  });

  it('gives the labels PyG gives (test rows moved back to sorted position)', () => {
    // Reference: numpy, as PyG's read_planetoid_data builds y (argmax of ally+ty, then y[test] = y[sorted test]).
    assert.equal(createHash('sha256').update(cora.labels).digest('hex'), '57ae1a50829808f8d6806f5ecc2e4889118d9d6c33f7c4ab8ec3592a68a3b94c');
    const perClass = new Array(7).fill(0);
    cora.labels.forEach((label) => perClass[label]++);
    assert.deepEqual(perClass, [351, 217, 418, 818, 426, 298, 180]);
  });

  it('links mostly same-class papers (edge homophily 0.81), which a misordered test block would destroy', () => {
    let same = 0;
    let total = 0;
    const a = cora.adjacency;
    for (let i = 0; i < a.rows; i++) {
      for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) {
        if (a.colIndex[k] === i) continue;
        total++;
        if (cora.labels[i] === cora.labels[a.colIndex[k]]) same++;
      }
    }
    assert.equal((same / total).toFixed(2), '0.81');
  });

  it('normalises every feature row to sum 1, or keeps the binary words when asked', async () => {
    for (let i = 0; i < cora.numNodes; i++) assert.ok(Math.abs(rowSum(cora.features, i) - 1) < 1e-5, `row ${i}`);
    const raw = await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false });
    assert.ok(raw.features.values.every((v) => v === 1));
    assert.equal(raw.features.nnz, 49216);
    assert.equal(raw.features.nnz, cora.features.nnz);
  });

  it('has a symmetric D^-1/2 (A+I) D^-1/2 with sorted columns', () => {
    const a = cora.adjacency;
    const at = a.transpose();
    assert.deepEqual(at.rowPtr, a.rowPtr);
    assert.deepEqual(at.colIndex, a.colIndex);
    assert.deepEqual(at.values, a.values);
    const degree = (i: number) => a.rowPtr[i + 1] - a.rowPtr[i];
    for (let i = 0; i < a.rows; i++) {
      for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) {
        if (k > a.rowPtr[i]) assert.ok(a.colIndex[k] > a.colIndex[k - 1]);
        const j = a.colIndex[k];
        assert.ok(Math.abs(a.values[k] - 1 / Math.sqrt(degree(i) * degree(j))) < 1e-6);
      }
    }
  });

  it('accepts the name in any case through loadDataset', async () => {
    const graph = await loadDataset('Cora', { dataDir: join(DATA_DIR, 'cora') });
    assert.equal(graph.numNodes, 2708);
  });
});

describe('Planetoid test ids without feature rows (as in Citeseer)', () => {
  it('gives those ids zero features, label 0 and no split, as PyG does', async () => {
    // Cora's files (CiteSeer's own are pinned by SHA-256, so these are assembled directly), with the last test id
    // moved past the end: ids 2707..2709 then have no row, the way 15 of Citeseer's do.
    const files = new Map(PLANETOID_EXTENSIONS.map((ext) => [ext, readFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`))] as const));
    const ids = files.get('test.index')!.toString('utf8').trim().split('\n');
    ids[ids.indexOf('2707')] = '2710';
    files.set('test.index', Buffer.from(ids.join('\n') + '\n'));
    const cora = await loadCora({ dataDir: DATA_DIR });
    const gaps = planetoidGraph('citeseer', files, { normalizeFeatures: true });
    assert.equal(gaps.numNodes, 2711);
    assert.equal(countMask(gaps.testMask), 1000);
    for (const id of [2707, 2708, 2709]) {
      assert.equal(gaps.features.rowPtr[id + 1] - gaps.features.rowPtr[id], 0, `node ${id} has no features`);
      assert.equal(gaps.labels[id], 0);
      assert.equal(gaps.testMask[id] + gaps.valMask[id] + gaps.trainMask[id], 0);
    }
    // The row stored for id 2707 now belongs to node 2710.
    const row = (g: Graph, i: number) => Array.from(g.features.colIndex.subarray(g.features.rowPtr[i], g.features.rowPtr[i + 1]));
    assert.deepEqual(row(gaps, 2710), row(cora, 2707));
    assert.equal(gaps.labels[2710], cora.labels[2707]);
  });
});
