// The webgpu epochs read a dense A as CSR where few of its entries are non-zero (Cora's, as the article trains it:
// 0.18%), with exactly A's entries, and keep a dense A that is not, or where GCNLAB_WEBGPU_SPARSE_ADJACENCY=off, saying why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsrMatrix, InvalidOptionError, denseAdjacency, loadCora, rowPointersOf } from '../../src/index.js';
import { readAdjacency, SPARSE_ADJACENCY_MAX_SHARE } from '../../src/epochs/webgpu/index.js';
import type { EpochGraph, EpochShape } from '../../src/epochs/index.js';

const shapeOf = (n: number): EpochShape => ({
  nodes: n, layers: [{ inputs: 4, outputs: 3, bias: true }, { inputs: 3, outputs: 2, bias: true }], features: 'dense', adjacency: 'dense',
  dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-3,
});
const graphOf = (n: number, adjacency: Float32Array | CsrMatrix): EpochGraph => ({
  features: new Float32Array(n * 4), adjacency, labels: new Int32Array(n), trainMask: new Uint8Array(n), valMask: new Uint8Array(n),
});

test("Cora's dense A (as the article trains it) is read as CSR holding exactly its entries, the shape's adjacency then sparse", async () => {
  const cora = await loadCora();
  const n = cora.numNodes;
  const dense = denseAdjacency(cora);
  const read = readAdjacency(shapeOf(n), graphOf(n, dense), 'on');
  assert.equal(read.shape.adjacency, 'sparse');
  assert.equal(read.adjacencyRead.readAs, 'sparse');
  const csr = read.graph.adjacency as CsrMatrix;
  assert.ok(csr instanceof CsrMatrix);
  assert.equal(csr.values.length, cora.adjacency.nnz);
  assert.ok(read.adjacencyRead.given === 'dense' && read.adjacencyRead.readAs === 'sparse' && Math.abs(read.adjacencyRead.nonZeroShare - cora.adjacency.nnz / (n * n)) < 1e-12);
  // The same matrix, entry for entry: back to dense rows, it is the dense A given.
  assert.deepEqual(csr.toDense(), dense);
});

test('a dense A whose non-zeros reach SPARSE_ADJACENCY_MAX_SHARE of its entries stays dense, saying why; one fewer becomes CSR', () => {
  const n = 32;
  const limit = Math.ceil(SPARSE_ADJACENCY_MAX_SHARE * n * n); // 64 of 1024
  const filled = (count: number) => Float32Array.from({ length: n * n }, (_, i) => (i < count ? 1 + (i % 5) : 0));
  const dense = readAdjacency(shapeOf(n), graphOf(n, filled(limit)), 'on');
  assert.equal(dense.shape.adjacency, 'dense');
  assert.ok(dense.graph.adjacency instanceof Float32Array);
  assert.deepEqual(dense.adjacencyRead, { given: 'dense', readAs: 'dense', keptBecause: "at least 6.25% of A's entries are non-zero (read as CSR only under that)" });
  const sparse = readAdjacency(shapeOf(n), graphOf(n, filled(limit - 1)), 'on');
  assert.equal(sparse.shape.adjacency, 'sparse');
  assert.deepEqual((sparse.graph.adjacency as CsrMatrix).toDense(), filled(limit - 1));
});

test('a sparse A is read as given; GCNLAB_WEBGPU_SPARSE_ADJACENCY=off keeps a dense one, and any other value is refused, named', () => {
  const n = 32; // the identity: 1 in 32 entries non-zero
  const identity = Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  const csr = CsrMatrix.fromDense(n, n, identity);
  const given = graphOf(n, csr);
  const read = readAdjacency({ ...shapeOf(n), adjacency: 'sparse' }, given, 'on');
  assert.equal(read.graph, given);
  assert.deepEqual(read.adjacencyRead, { given: 'sparse', readAs: 'sparse' });
  const saved = process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY;
  try {
    process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY = 'off';
    assert.deepEqual(readAdjacency(shapeOf(n), graphOf(n, identity)).adjacencyRead, { given: 'dense', readAs: 'dense', keptBecause: 'GCNLAB_WEBGPU_SPARSE_ADJACENCY=off' });
    process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY = 'yes';
    assert.throws(() => readAdjacency(shapeOf(n), graphOf(n, identity)), (e: unknown) => e instanceof InvalidOptionError && /GCNLAB_WEBGPU_SPARSE_ADJACENCY "yes": expected 'on' or 'off'/.test(e.message));
    delete process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY;
    assert.equal(readAdjacency(shapeOf(n), graphOf(n, identity)).adjacencyRead.readAs, 'sparse');
  } finally {
    if (saved === undefined) delete process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY;
    else process.env.GCNLAB_WEBGPU_SPARSE_ADJACENCY = saved;
  }
});

test("a dense A given as the CsrMatrix of its entries (what train() holds) is read as that CSR, or as its dense rows where kept", () => {
  const n = 32;
  const limit = Math.ceil(SPARSE_ADJACENCY_MAX_SHARE * n * n); // 64 of 1024
  const filled = (count: number) => CsrMatrix.fromDense(n, n, Float32Array.from({ length: n * n }, (_, i) => (i < count ? 1 + (i % 5) : 0)));
  const few = filled(limit - 1);
  const read = readAdjacency(shapeOf(n), graphOf(n, few), 'on');
  assert.equal(read.shape.adjacency, 'sparse');
  assert.equal(read.graph.adjacency, few, 'the CSR given, not a copy');
  assert.deepEqual(read.adjacencyRead, { given: 'dense', readAs: 'sparse', nonZeroShare: (limit - 1) / (n * n) });
  const many = filled(limit);
  const kept = readAdjacency(shapeOf(n), graphOf(n, many), 'on');
  assert.equal(kept.shape.adjacency, 'dense');
  assert.deepEqual(kept.graph.adjacency, many.toDense());
  assert.deepEqual(kept.adjacencyRead, { given: 'dense', readAs: 'dense', keptBecause: "at least 6.25% of A's entries are non-zero (read as CSR only under that)" });
  // Zeros stored in the CSR are zeros of the dense A: counted out, so the diagonal with 64 stored zeros beside it is
  // still 1 in 32 non-zero and read as CSR.
  const diagonal = Array.from({ length: n }, (_, i) => i);
  const zeros = Array.from({ length: 2 * n }, (_, k) => k % n);
  const withZeros = CsrMatrix.fromCoo(n, n, [...diagonal, ...zeros], [...diagonal, ...zeros.map((r, k) => (r + 1 + Math.floor(k / n)) % n)], [...diagonal.map(() => 1), ...zeros.map(() => 0)]);
  assert.ok(withZeros.nnz > limit, 'more stored entries than the share allows');
  assert.deepEqual(readAdjacency(shapeOf(n), graphOf(n, withZeros), 'on').adjacencyRead, { given: 'dense', readAs: 'sparse', nonZeroShare: 1 / n });
  const off = readAdjacency(shapeOf(n), graphOf(n, few), 'off');
  assert.deepEqual(off.graph.adjacency, few.toDense());
  assert.equal(off.adjacencyRead.readAs, 'dense');
});

test('row pointers stop at the count they may reach, with none rather than a count past it', () => {
  const ones = new Float32Array(12).fill(1);
  assert.deepEqual(rowPointersOf(ones, 3, 4), Int32Array.from([0, 4, 8, 12]));
  assert.equal(rowPointersOf(ones, 3, 4, 11), null);
  assert.deepEqual(rowPointersOf(ones, 3, 4, 12), Int32Array.from([0, 4, 8, 12]));
});
