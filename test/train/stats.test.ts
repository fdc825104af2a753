// Benchmark statistics: the numbers a results table shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantile, timingStats } from '../../src/index.js';

test('timingStats gives mean, sample std, median, min and p95 as numpy would', () => {
  const s = timingStats([4, 1, 3, 2, 5]);
  assert.equal(s.meanMs, 3);
  assert.equal(s.medianMs, 3);
  assert.equal(s.minMs, 1);
  assert.ok(Math.abs(s.stdMs - Math.sqrt(2.5)) < 1e-12);
  assert.ok(Math.abs(s.p95Ms - 4.8) < 1e-12); // numpy.percentile([1..5], 95) == 4.8
});

test('quantile interpolates between order statistics', () => {
  assert.equal(quantile([10, 20], 0.5), 15);
  assert.equal(quantile([7], 0.95), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('an empty sample gives NaN rather than a made-up number', () => {
  assert.ok(Number.isNaN(timingStats([]).meanMs));
});
