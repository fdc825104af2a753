// bench/epoch-host.ts as a developer runs it: the fused webgpu epochs on Dawn's null backend, Cora's four target
// models, one JSON line with each model's dispatches and host cost a call.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { DATA_DIR } from '../helpers/data-dir.js';
import { dawnMissing } from '../helpers/dawn.js';

test("bench/epoch-host.ts times epoch() of Cora's four target models on Dawn's null backend, with the dispatches each takes", { skip: dawnMissing }, () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/epoch-host.ts', '--epochs', '30'], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, GCNLAB_DATA_DIR: DATA_DIR } });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { kind: string; backend: string; runs: { rows: { model: string; dispatchesPerEpoch: number; firstLayer: Record<string, unknown>; adjacencyRead: Record<string, unknown>; callUs: number }[] }[] };
  assert.equal(out.kind, 'epoch-host');
  assert.equal(out.runs.length, 1);
  const rows = out.runs[0].rows;
  // The 2-layer epochs' second lin, loss and second-layer backward run inside the A products (10 dispatches before),
  // the 3-layer ones likewise (14 before); the article model's dense X comes propagated (A X once a run), so its
  // first layer has no A products and the second and third layers' weight sums run beside its weight gradient (9
  // before). Its dense A is read as CSR, and the count stays 7.
  assert.deepEqual(rows.map((r) => r.dispatchesPerEpoch), [7, 7, 10, 7]);
  // Each row says what its first layer reads: Cora's sparse X keeps its A products, and why; the article model's A X
  // (4.7% non-zero) goes up as CSR.
  const kept = { propagated: false, features: 'sparse', keptBecause: 'sparse X (A X would be far denser than X)' };
  assert.deepEqual(rows.map((r) => r.firstLayer), [kept, kept, kept, { propagated: true, features: 'sparse' }]);
  // And how its A products read A: Cora's dense A (0.18% non-zero) as CSR, as the sparse one is.
  const asCsr = { given: 'dense', readAs: 'sparse', nonZeroShare: 13264 / 2708 ** 2 };
  assert.deepEqual(rows.map((r) => r.adjacencyRead), [{ given: 'sparse', readAs: 'sparse' }, asCsr, { given: 'sparse', readAs: 'sparse' }, asCsr]);
  for (const r of rows) assert.ok(r.callUs > 0, JSON.stringify(r));
});

test('bench/epoch-host.ts names a bad --epochs and starts nothing', { skip: dawnMissing }, () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/epoch-host.ts', '--epochs', 'many'], { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /--epochs many .* must be whole numbers/);
});
