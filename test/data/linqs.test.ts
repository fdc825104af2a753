// LINQS files (cora.content / cora.cites, the article's input) and the article's split.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCora, type Graph } from '../../src/data/index.js';
import { linqsFilesFromArchive } from '../../src/data/linqs.js';
import { countMask } from '../../src/data/masks.js';
import { DataFormatError } from '../../src/errors.js';
import { DATA_DIR } from '../helpers/data-dir.js';
import { linqsText, tarGz } from '../helpers/linqs.js';

function linqsDir(content: string, cites: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-linqs-'));
  mkdirSync(join(dir, 'cora'));
  writeFileSync(join(dir, 'cora', 'cora.content'), content);
  writeFileSync(join(dir, 'cora', 'cora.cites'), cites);
  return dir;
}

describe('LINQS format', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('reads a small hand-written graph: file order, sorted class names, undirected deduplicated citations', async () => {
    const content = ['p1\t1\t0\t1\tNeural', 'p2\t0\t1\t0\tTheory', 'p3\t1\t1\t0\tNeural', 'p4\t0\t0\t1\tRule'].join('\n');
    // p1<->p2 twice (both directions), p3->p1, a self loop and a citation of a paper not in the content file.
    const cites = ['p2\tp1', 'p1\tp2', 'p3\tp1', 'p3\tp3', 'p9\tp1'].join('\n');
    dirs.push(linqsDir(content, cites));
    const graph = await loadCora({ dataDir: dirs.at(-1), format: 'linqs' });
    assert.equal(graph.format, 'linqs');
    assert.equal(graph.numNodes, 4);
    assert.equal(graph.numFeatures, 3);
    assert.equal(graph.numClasses, 3);
    assert.deepEqual(graph.classNames, ['Neural', 'Rule', 'Theory']);
    assert.deepEqual(Array.from(graph.labels), [0, 2, 0, 1]);
    assert.equal(graph.numEdges, 2);
    assert.deepEqual(Array.from(graph.features.toDense()), [0.5, 0, 0.5, 0, 1, 0, 0.5, 0.5, 0, 0, 0, 1]);
    const s6 = 1 / Math.sqrt(6);
    const a = Array.from(graph.adjacency.toDense());
    [1 / 3, s6, s6, 0, s6, 1 / 2, 0, 0, s6, 0, 1 / 2, 0, 0, 0, 0, 1].forEach((v, k) => assert.ok(Math.abs(a[k] - v) < 1e-6, `entry ${k}`));
  });

  it('names the file and line of a malformed row', async () => {
    dirs.push(linqsDir('p1\t1\t0\tA\np2\t1\tB\n', 'p1\tp2\n'));
    await assert.rejects(loadCora({ dataDir: dirs.at(-1), format: 'linqs' }), (e: unknown) => e instanceof DataFormatError && /cora\.content/.test(e.message) && /line 2/.test(e.message));
    dirs.push(linqsDir('p1\t1\t0\tA\n', 'p1\n'));
    await assert.rejects(loadCora({ dataDir: dirs.at(-1), format: 'linqs' }), (e: unknown) => e instanceof DataFormatError && /cora\.cites/.test(e.message));
  });

  it('finds the two files inside LINQS\'s tarball, or says what the tarball held instead', () => {
    const files = linqsFilesFromArchive('cora', tarGz({ 'cora/README': 'x', 'cora/cora.content': 'a', 'cora/cora.cites': 'b' }), 'cora.tgz');
    assert.equal(Buffer.from(files.content).toString(), 'a');
    assert.equal(Buffer.from(files.cites).toString(), 'b');
    assert.throws(() => linqsFilesFromArchive('cora', tarGz({ 'cora/README': 'x' }), 'cora.tgz'), (e: unknown) => e instanceof DataFormatError && /cora\/README/.test(e.message));
    assert.throws(() => linqsFilesFromArchive('cora', Buffer.from('not gzip'), 'cora.tgz'), DataFormatError);
  });

  describe("Cora rewritten as LINQS files", () => {
    let planetoid: Graph;
    let linqs: Graph;
    before(async () => {
      planetoid = await loadCora({ dataDir: DATA_DIR, normalizeFeatures: false });
      const { content, cites } = linqsText(planetoid);
      dirs.push(linqsDir(content, cites));
      linqs = await loadCora({ dataDir: dirs.at(-1), format: 'linqs' });
    });

    it('keeps the counts: 2708 nodes, 1433 features, 7 classes, 5278 edges', () => {
      assert.deepEqual([linqs.numNodes, linqs.numFeatures, linqs.numClasses, linqs.numEdges], [2708, 1433, 7, 5278]);
      assert.deepEqual(linqs.labels, planetoid.labels);
      assert.deepEqual(linqs.adjacency, planetoid.adjacency);
    });

    it("uses the article's split: train 0..139, validation 200..499, test 500..1499", () => {
      assert.equal(countMask(linqs.trainMask), 140);
      assert.equal(countMask(linqs.valMask), 300);
      assert.equal(countMask(linqs.testMask), 1000);
      assert.ok(linqs.trainMask.subarray(0, 140).every((m) => m === 1));
      assert.ok(linqs.valMask.subarray(200, 500).every((m) => m === 1));
      assert.ok(linqs.testMask.subarray(500, 1500).every((m) => m === 1));
      assert.equal(countMask(linqs.trainMask.subarray(140, 200)) + countMask(linqs.valMask.subarray(140, 200)), 0);
    });
  });
});
