// Issue 17's verdict from rows as bench/gpu.ts writes them: each round's gcnlab row against the fastest named peer of
// its depth and adjacency in that round (and of either adjacency), and each target met only where every round meets it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { positionSummaries, roundRatios, targetSummaries } from '../../bench/gpu-ratios.js';

const gcnlab = (round: number, layers: number, adjacency: string, medianMs: number) => ({ impl: 'gcnlab', engine: 'webgpu-fused', round, layers, features: 'sparse', adjacency, medianMs });
const peer = (round: number, engine: string, layers: number, adjacency: string, medianMs: number) => ({ impl: engine.startsWith('jax') ? 'jax' : 'pytorch', engine, round, layers, features: 'dense', adjacency, medianMs });

test('each round is judged against its own fastest CUDA-graph or jax.jit peer of the same depth and adjacency', () => {
  const rows = [
    gcnlab(1, 2, 'sparse', 0.1), peer(1, 'torch-graph-ahead-scatter', 2, 'sparse', 0.3), peer(1, 'jax-ahead-segment', 2, 'sparse', 0.25),
    // Eager PyTorch is faster here but not a peer the target names; a dense peer does not judge a sparse row.
    peer(1, 'torch-eager-sparse', 2, 'sparse', 0.01), peer(1, 'jax-ahead-dense', 2, 'dense', 0.05),
    gcnlab(2, 2, 'sparse', 0.2), peer(2, 'jax-ahead-segment', 2, 'sparse', 0.3),
    // A profile or a row timed after the accuracy check is not a timed row of the comparison.
    { ...gcnlab(1, 2, 'sparse', 0.001), kind: 'profile' }, { ...gcnlab(1, 2, 'sparse', 0.001), after: 'accuracy check' },
  ];
  const ratios = roundRatios(rows);
  assert.deepEqual(ratios.map((r) => [r.round, r.peer, Number(r.ratio.toFixed(3))]), [[1, 'jax-ahead-segment', 0.4], [2, 'jax-ahead-segment', 0.667]]);
  // Against the fastest named peer of either adjacency, round 1's dense JAX step judges it: 0.1 / 0.05.
  assert.deepEqual(ratios.map((r) => [r.anyAdjacency.peer, Number(r.anyAdjacency.ratio.toFixed(3))]), [['jax-ahead-dense', 2], ['jax-ahead-segment', 0.667]]);
  const [summary] = targetSummaries(ratios);
  assert.equal(summary.worstRatioAnyAdjacency, 2);
  assert.equal(summary.rounds, 2);
  assert.equal(summary.roundsMet, 1);
  assert.equal(summary.met, false, 'met in one round of two is not met');
  assert.equal(Number(summary.worstRatio.toFixed(3)), 0.667);
  assert.equal(Number(summary.medianRatio.toFixed(4)), Number(((0.4 + 2 / 3) / 2).toFixed(4)));
});

test('rows without a round (the default Cora run) count as one round', () => {
  const ratios = roundRatios([{ ...gcnlab(1, 3, 'dense', 0.2), round: undefined }, { ...peer(1, 'torch-graph-dense', 3, 'dense', 0.5), round: undefined }]);
  assert.deepEqual(targetSummaries(ratios).map((t) => [t.layers, t.adjacency, t.met, Number(t.medianRatio.toFixed(2))]), [[3, 'dense', true, 0.4]]);
});

test("gcnlab's rows are summarised by their place in the round, apart from their model", () => {
  const placed = (round: number, position: number, layers: number, adjacency: string, medianMs: number) => ({ ...gcnlab(round, layers, adjacency, medianMs), position });
  const rows = [
    placed(1, 1, 2, 'sparse', 0.3), placed(1, 2, 2, 'dense', 0.1),
    placed(2, 1, 2, 'dense', 0.5), placed(2, 2, 2, 'sparse', 0.2),
    // Peers, a profile and a default run's row (no position) are not placed.
    { ...peer(1, 'jax-ahead-segment', 2, 'sparse', 9), position: 1 }, { ...placed(1, 1, 2, 'sparse', 9), kind: 'profile' }, gcnlab(1, 2, 'sparse', 9),
    // Neither is a row timed after the accuracy check, nor one through the tape.
    { ...placed(1, 1, 2, 'sparse', 9), after: 'accuracy check' }, { ...placed(1, 1, 2, 'sparse', 9), engine: 'webgpu-tape' },
  ];
  const summary = positionSummaries(rows);
  assert.deepEqual(summary.map((p) => [p.position, p.rowCount, Number(p.medianMs.toFixed(3))]), [[1, 2, 0.4], [2, 2, 0.15]]);
  assert.deepEqual(summary[0].byTarget, { '2/sparse/sparse': [0.3], '2/sparse/dense': [0.5] });
  // Each row against its target's median (sparse A 0.25, dense A 0.3): the first place costs 1.2 and 1.67 of it.
  assert.deepEqual(summary.map((p) => Number(p.relativeMedian.toFixed(3))), [Number(((0.3 / 0.25 + 0.5 / 0.3) / 2).toFixed(3)), Number(((0.2 / 0.25 + 0.1 / 0.3) / 2).toFixed(3))]);
});

test('a place that holds a slow model more often is not taken for a slow place', () => {
  const placed = (round: number, position: number, layers: number, medianMs: number) => ({ ...gcnlab(round, layers, 'sparse', medianMs), position });
  // The 3-layer model is twice as slow wherever it sits; it sat first twice, second once.
  const rows = [placed(1, 1, 3, 0.2), placed(1, 2, 2, 0.1), placed(2, 1, 3, 0.2), placed(2, 2, 2, 0.1), placed(3, 1, 2, 0.1), placed(3, 2, 3, 0.2)];
  const [firstPlace, secondPlace] = positionSummaries(rows);
  assert.ok(firstPlace.medianMs > secondPlace.medianMs, 'by raw medians the first place looks slower');
  assert.deepEqual([firstPlace.relativeMedian, secondPlace.relativeMedian], [1, 1]);
});
