// bench/gpu-merge-rounds.ts as it is run after a device session: the files of several --rounds calls become one, their
// targets judged over every round; calls whose rounds overlap, or that come from other GPUs, are refused by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'gcnlab-merge-'));
const call = (name: string, gpu: string, firstRound: number, ratios: number[]) => {
  const rows = ratios.flatMap((ratio, i) => [
    { impl: 'gcnlab', engine: 'webgpu-fused', layers: 2, features: 'sparse', adjacency: 'sparse', medianMs: ratio, round: firstRound + i, position: 1 + i },
    { impl: 'jax', engine: 'jax-ahead-segment', layers: 2, features: 'dense', adjacency: 'sparse', medianMs: 1, round: firstRound + i },
  ]);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ date: '2026-12-08', machine: { gpu }, protocol: { rounds: ratios.length, firstRound }, rows }));
  return file;
};
const merge = (...files: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/gpu-merge-rounds.ts', '--out', join(dir, 'merged.json'), ...files], { encoding: 'utf8', timeout: 60_000 });

test('two calls of rounds merge into one file whose target is judged over all their rounds', () => {
  const run = merge(call('a.json', 'H100', 1, [0.4, 0.45]), call('b.json', 'H100', 3, [0.6]));
  assert.equal(run.status, 0, run.stderr);
  const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
  assert.equal(merged.rows.length, 6);
  assert.deepEqual(merged.calls.map((c: { from: string; firstRound: number }) => [c.from, c.firstRound]), [['a.json', 1], ['b.json', 3]]);
  const [target] = merged.targets;
  assert.deepEqual([target.rounds, target.roundsMet, target.met, target.worstRatio], [3, 2, false, 0.6]);
  assert.deepEqual(merged.positions.map((p: { position: number }) => p.position), [1, 2]);
  assert.equal(JSON.parse(run.stdout).targets[0].medianRatio, 0.45);
});

test('calls holding the same round, or from different GPUs, are refused with the fix', () => {
  const overlap = merge(call('c.json', 'H100', 1, [0.4, 0.4]), call('d.json', 'H100', 2, [0.4]));
  assert.equal(overlap.status, 2);
  assert.match(overlap.stderr, /both hold round 2: run the later call with --first-round/);
  const gpus = merge(call('e.json', 'H100', 1, [0.4]), call('f.json', 'H200', 2, [0.4]));
  assert.equal(gpus.status, 2);
  assert.match(gpus.stderr, /different GPUs \(H100; H200\)/);
});
