// `npm run bench:scaling` as a user runs it: gcnlab and PyTorch on the same synthetic graphs, JSON out, growth fitted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

interface Row {
  impl: string;
  device: string;
  features: string;
  nodes: number;
  adjacencyNonZeros: number;
  medianMs: number;
}

test('bench:scaling trains gcnlab and PyTorch on identical graphs of each size and fits each one growth', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'gcnlab-scaling-')), 'scaling.json');
  const run = spawnSync('npm', ['run', '--silent', 'bench:scaling', '--', '--sizes', '600,2400', '--devices', 'wasm', '--epochs', '2', '--warmup', '1', '--out', out], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { rows: Row[]; fits: { impl: string; exponent: number }[] };
  assert.deepEqual(JSON.parse(run.stdout).rows.length, report.rows.length, 'stdout carries the same report');
  for (const nodes of [600, 2400]) {
    const rows = report.rows.filter((r) => r.nodes === nodes);
    assert.deepEqual(rows.map((r) => `${r.impl}/${r.device}/${r.features}`).sort(), ['gcnlab/wasm/sparse', 'pytorch/cpu/dense', 'pytorch/cpu/sparse']);
    assert.equal(new Set(rows.map((r) => r.adjacencyNonZeros)).size, 1, 'both sides train on the same adjacency');
    assert.ok(rows.every((r) => r.medianMs > 0));
  }
  assert.deepEqual(report.fits.map((f) => f.impl).sort(), ['gcnlab', 'pytorch', 'pytorch']);
  assert.ok(report.fits.every((f) => Number.isFinite(f.exponent)));
});
