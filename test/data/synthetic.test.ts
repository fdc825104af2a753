// syntheticGraph: Cora-like by default, the same graph for the same seed, and large graphs in seconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticGraph, type Graph } from '../../src/data/index.js';
import { countMask } from '../../src/data/masks.js';
import { InvalidOptionError } from '../../src/errors.js';

function edgeHomophily(graph: Graph): number {
  const a = graph.adjacency;
  let same = 0;
  let total = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) {
      if (a.colIndex[k] === i) continue;
      total++;
      if (graph.labels[i] === graph.labels[a.colIndex[k]]) same++;
    }
  }
  return same / total;
}

describe('syntheticGraph', () => {
  it('is Cora-like by default: 2708 nodes, 1433 binary words (about 18 a node), 7 classes, degree 3.9', () => {
    const graph = syntheticGraph();
    assert.equal(graph.format, 'synthetic');
    assert.deepEqual([graph.numNodes, graph.numFeatures, graph.numClasses], [2708, 1433, 7]);
    const degree = (2 * graph.numEdges) / graph.numNodes;
    assert.ok(degree > 3.8 && degree <= 3.9, `average degree ${degree}`);
    assert.equal(graph.adjacency.nnz, 2 * graph.numEdges + graph.numNodes);
    const words = graph.features.nnz / graph.numNodes;
    assert.ok(words > 16 && words <= 18, `${words} words per node`);
    assert.ok(Math.abs(edgeHomophily(graph) - 0.81) < 0.03);
    assert.deepEqual([countMask(graph.trainMask), countMask(graph.valMask), countMask(graph.testMask)], [140, 500, 1000]);
    const perClass = new Array(7).fill(0);
    graph.labels.forEach((label, i) => (perClass[label] += graph.trainMask[i]));
    assert.deepEqual(perClass, [20, 20, 20, 20, 20, 20, 20]);
  });

  it('ties features to classes, so a node\'s words tell its class', () => {
    const graph = syntheticGraph({ featureSignal: 1, featuresPerNode: 5, normalizeFeatures: false });
    const block = Math.floor(1433 / 7);
    for (let i = 0; i < 50; i++) {
      for (let k = graph.features.rowPtr[i]; k < graph.features.rowPtr[i + 1]; k++) {
        assert.equal(Math.floor(graph.features.colIndex[k] / block), graph.labels[i]);
      }
    }
  });

  it('gives the same graph for the same seed and another for another seed', () => {
    const a = syntheticGraph({ nodes: 3000, seed: 7 });
    const b = syntheticGraph({ nodes: 3000, seed: 7 });
    const c = syntheticGraph({ nodes: 3000, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.labels, c.labels);
    assert.notDeepEqual(a.adjacency.colIndex, c.adjacency.colIndex);
  });

  it('builds 200k nodes of degree 10 with 128 features quickly, with normalised rows', () => {
    const start = performance.now();
    const graph = syntheticGraph({ nodes: 200_000, features: 128, avgDegree: 10, homophily: 0.5 });
    const seconds = (performance.now() - start) / 1000;
    assert.ok(seconds < 5, `${seconds.toFixed(1)} s`);
    const degree = (2 * graph.numEdges) / graph.numNodes;
    assert.ok(degree > 9.9 && degree <= 10, `average degree ${degree}`);
    assert.ok(Math.abs(edgeHomophily(graph) - 0.5) < 0.01);
    let sum = 0;
    for (let k = graph.features.rowPtr[123]; k < graph.features.rowPtr[124]; k++) sum += graph.features.values[k];
    assert.ok(Math.abs(sum - 1) < 1e-6);
  });

  it("with locality 'nearby', every edge joins nodes at most 512 apart and classes come in runs", () => {
    const graph = syntheticGraph({ nodes: 20_000, avgDegree: 8, locality: 'nearby', seed: 3 });
    const { rowPtr, colIndex } = graph.adjacency;
    let farthest = 0;
    for (let i = 0; i < graph.numNodes; i++) for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) farthest = Math.max(farthest, Math.abs(colIndex[p] - i));
    assert.ok(farthest > 256 && farthest <= 512, `farthest neighbour ${farthest} apart`);
    // 81% of draws stay in the node's run; the rest land anywhere in reach, a seventh of it of the same class.
    assert.ok(edgeHomophily(graph) > 0.8 && edgeHomophily(graph) < 0.88, `homophily ${edgeHomophily(graph)}`);
    assert.equal(graph.labels[0], graph.labels[63]);
    assert.notEqual(graph.labels[63], graph.labels[64]);
    const random = syntheticGraph({ nodes: 20_000, avgDegree: 8, seed: 3 });
    assert.equal(graph.adjacency.nnz > 0.95 * random.adjacency.nnz, true, 'about as many edges as the random order');
    const train = [...graph.trainMask.keys()].filter((i) => graph.trainMask[i] === 1);
    assert.equal(train.length, 140);
    assert.ok(train[train.length - 1] - train[0] > graph.numNodes / 2, 'the labelled nodes are spread over the graph, not at its start');
    assert.throws(() => syntheticGraph({ locality: 'clustered' as 'nearby' }), /invalid locality "clustered": expected 'random' or 'nearby'/);
  });

  it('scales the split down on small graphs and refuses one that cannot fit', () => {
    const small = syntheticGraph({ nodes: 100, classes: 2 });
    assert.deepEqual([countMask(small.trainMask), countMask(small.valMask), countMask(small.testMask)], [10, 20, 40]);
    assert.throws(() => syntheticGraph({ nodes: 100, testSize: 99 }), InvalidOptionError);
    assert.throws(() => syntheticGraph({ homophily: 1.5 }), (e: unknown) => e instanceof InvalidOptionError && /homophily 1\.5/.test(e.message));
    assert.throws(() => syntheticGraph({ nodes: 10.5 }), InvalidOptionError);
  });
});
