// Dense views of a graph: equal to the sparse ones, and refused with a clear error when too big.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { denseAdjacency, denseFeatures, loadCora, syntheticGraph, type Graph } from '../../src/data/index.js';
import { InvalidOptionError, MemoryLimitError } from '../../src/errors.js';
import { DATA_DIR } from '../helpers/data-dir.js';

describe('dense views', () => {
  let cora: Graph;
  before(async () => {
    cora = await loadCora({ dataDir: DATA_DIR });
  });

  it('match the sparse features and adjacency of Cora entry for entry', () => {
    const x = denseFeatures(cora);
    const a = denseAdjacency(cora);
    assert.equal(x.length, 2708 * 1433);
    assert.equal(a.length, 2708 * 2708);
    for (const [dense, sparse] of [[x, cora.features], [a, cora.adjacency]] as const) {
      let nonZeros = 0;
      for (let i = 0; i < sparse.rows; i++) {
        for (let k = sparse.rowPtr[i]; k < sparse.rowPtr[i + 1]; k++) assert.equal(dense[i * sparse.cols + sparse.colIndex[k]], sparse.values[k]);
      }
      dense.forEach((v) => (nonZeros += v !== 0 ? 1 : 0));
      assert.equal(nonZeros, sparse.nnz);
    }
  });

  it('refuses an adjacency over the memory bound, naming its size and the sparse way out', () => {
    const graph = syntheticGraph({ nodes: 20_000, features: 16, avgDegree: 4 });
    assert.throws(
      () => denseAdjacency(graph, { maxBytes: 2 ** 30 }),
      (error: unknown) =>
        error instanceof MemoryLimitError &&
        error.bytes === 20_000 * 20_000 * 4 &&
        /1\.49 GiB/.test(error.message) &&
        /20000 x 20000/.test(error.message) &&
        /sparse/.test(error.message),
    );
    assert.throws(() => denseFeatures(cora, { maxBytes: 1000 }), MemoryLimitError);
  });

  it('rejects a maxBytes that is not a positive number', () => {
    assert.throws(() => denseAdjacency(cora, { maxBytes: -1 }), InvalidOptionError);
  });
});
