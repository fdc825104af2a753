// Scaling runs: the growth fit and the refusal of dense sizes that cannot fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitGrowth, linearFit, powerLawFit, scalingBenchmark } from '../../src/index.js';

test('linearFit recovers a line, powerLawFit the exponent of a power law', () => {
  const x = [1, 2, 3, 4];
  const line = linearFit(x, x.map((v) => 3 + 2 * v));
  assert.ok(Math.abs(line.slope - 2) < 1e-12 && Math.abs(line.intercept - 3) < 1e-12 && Math.abs(line.r2 - 1) < 1e-12);
  const power = powerLawFit([10, 100, 1000], [5, 50, 500]);
  assert.ok(Math.abs(power.slope - 1) < 1e-12, 'linear growth has exponent 1');
  assert.ok(Math.abs(powerLawFit([10, 100], [1, 100]).slope - 2) < 1e-12, 'quadratic growth has exponent 2');
});

test('fitGrowth fits each device and mode separately', () => {
  const fits = fitGrowth([
    { device: 'cpu', adjacency: 'sparse', nodes: 10, edges: 5, adjacencyNonZeros: 1e6, meanMs: 2, medianMs: 2 },
    { device: 'cpu', adjacency: 'sparse', nodes: 100, edges: 50, adjacencyNonZeros: 1e7, meanMs: 20, medianMs: 20 },
    { device: 'cpu', adjacency: 'dense', nodes: 10, edges: 5, adjacencyNonZeros: 1e6, meanMs: 1, medianMs: 1 },
  ]);
  assert.equal(fits.length, 1, 'one size is not enough for a fit');
  assert.ok(Math.abs(fits[0].exponent - 1) < 1e-9);
  assert.ok(Math.abs(fits[0].msPerMillionNonZeros - 2) < 1e-9);
  assert.equal(fits[0].r2, null, 'two sizes fit any line exactly: no r2 to show');
  const three = fitGrowth([1e6, 1e7, 1e8].map((nnz, i) => ({ device: 'cpu', adjacency: 'sparse' as const, nodes: 10 ** (i + 1), edges: 0, adjacencyNonZeros: nnz, meanMs: 0, medianMs: [2, 30, 150][i] })));
  assert.equal(three[0].sizes, 3);
  assert.ok(three[0].r2 !== null && three[0].r2 > 0.9 && three[0].r2 < 1, `r2 ${three[0].r2}`);
});

test('a scaling run measures sparse at every size and refuses dense where it would not fit', async () => {
  const result = await scalingBenchmark({ sizes: [200, 2_000, 200_000], devices: ['cpu'], adjacency: ['sparse', 'dense'], epochs: 1, warmup: 0, features: 16 });
  assert.deepEqual(result.points.filter((p) => p.adjacency === 'sparse').map((p) => p.nodes), [200, 2_000, 200_000]);
  const refusal = result.refused.find((r) => r.adjacency === 'dense' && r.nodes === 200_000);
  assert.ok(refusal, 'a 200,000-node dense adjacency (160 GB) is refused');
  assert.match(refusal.reason, /GiB/);
  assert.ok(result.points.some((p) => p.adjacency === 'dense' && p.nodes === 2_000));
  assert.ok(result.fits.some((f) => f.adjacency === 'sparse' && Number.isFinite(f.exponent)));
});
