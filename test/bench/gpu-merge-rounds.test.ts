// bench/gpu-merge-rounds.ts as it is run after a device session: the files of several --rounds calls become one, their
// targets judged over every round; a file that is not a --rounds file, calls whose rounds overlap, or that ran on
// other cards, from other bundles or with other counts are refused by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'gcnlab-merge-'));
/** Dawn's adapter string, the same on both cards (bench/results' H100 and H200 files). */
const DAWN = 'nvidia NVIDIA: 580.159.04 580.159.4.0 (Dawn)';
interface Call { card?: string; runsOn?: string; bundle?: string | null; epochs?: number; failedRow?: boolean }
const write = (name: string, firstRound: number, ratios: number[], { card = 'NVIDIA H100 80GB HBM3', runsOn, bundle = 'abc1234', epochs = 50, failedRow = false }: Call = {}) => {
  const rows: Record<string, unknown>[] = ratios.flatMap((ratio, i) => [
    { impl: 'gcnlab', engine: 'webgpu-fused', layers: 2, features: 'sparse', adjacency: 'sparse', medianMs: ratio, round: firstRound + i, position: 1 + i },
    { impl: 'jax', engine: 'jax-ahead-segment', layers: 2, features: 'dense', adjacency: 'sparse', medianMs: 1, round: firstRound + i, ...(runsOn ? { runsOn } : {}) },
  ]);
  // A row that failed is recorded with no round (bench/gpu.ts's attempt()).
  if (failedRow) rows.push({ failed: 'round 1: gcnlab {}', error: 'Error: lost' });
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ date: `2026-12-08T0${firstRound}:00:00Z`, machine: { gpu: DAWN, ...(card ? { card } : {}) }, ...(bundle === null ? {} : { bundle }), protocol: { runs: 5, epochs, warmup: 20, rounds: ratios.length, firstRound }, rows }));
  return file;
};
const merge = (...files: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/gpu-merge-rounds.ts', '--out', join(dir, 'merged.json'), ...files], { encoding: 'utf8', timeout: 60_000 });
const refusal = (run: ReturnType<typeof merge>) => {
  assert.equal(run.status, 2, run.stdout);
  return run.stderr;
};

test('calls of rounds merge into one file whose targets are judged over all their rounds, a failed row among them', () => {
  const run = merge(write('b.json', 3, [0.6], { failedRow: true }), write('a.json', 1, [0.4, 0.45], { failedRow: true }));
  assert.equal(run.status, 0, run.stderr);
  const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
  assert.equal(merged.rows.length, 8);
  assert.deepEqual(merged.calls.map((c: { from: string; rounds: number; firstRound: number }) => [c.from, c.rounds, c.firstRound]), [['b.json', 1, 3], ['a.json', 2, 1]]);
  assert.deepEqual([merged.protocol.rounds, merged.protocol.firstRound, merged.protocol.roundNumbers], [3, 1, [1, 2, 3]]);
  assert.equal(merged.date, '2026-12-08T01:00:00Z', 'the earliest call');
  assert.deepEqual([merged.machine.card, merged.bundle], ['NVIDIA H100 80GB HBM3', 'abc1234']);
  const [target] = merged.targets;
  assert.deepEqual([target.rounds, target.roundsMet, target.met, target.worstRatio, target.medianRatio], [3, 2, false, 0.6, 0.45]);
  assert.deepEqual(merged.positions.map((p: { position: number; medianMs: number }) => [p.position, p.medianMs]), [[1, 0.5], [2, 0.45]]);
});

test('a file from before machine.card is placed by its peers\' runsOn', () => {
  const same = merge(write('n.json', 1, [0.4], { card: '', runsOn: 'NVIDIA H100 80GB HBM3' }), write('o.json', 2, [0.45]));
  assert.equal(same.status, 0, same.stderr);
  const run = merge(write('c.json', 1, [0.4], { card: '', runsOn: 'NVIDIA H200' }), write('d.json', 2, [0.4], { card: '', runsOn: 'NVIDIA H100 80GB HBM3' }));
  assert.match(refusal(run), /c\.json ran on NVIDIA H200 and .*d\.json on NVIDIA H100 80GB HBM3: merge one card's calls only/);
});

test('a call whose rows all failed holds the rounds its protocol asked for', () => {
  const failed = join(dir, 'failed.json');
  writeFileSync(failed, JSON.stringify({ date: '2026-12-08T09:00:00Z', machine: { gpu: DAWN, card: 'NVIDIA H100 80GB HBM3' }, bundle: 'abc1234', protocol: { runs: 5, epochs: 50, warmup: 20, rounds: 2, firstRound: 4 }, rows: [{ failed: 'round 4', error: 'Error: lost' }] }));
  assert.match(refusal(merge(write('r.json', 5, [0.4]), failed)), /both hold round 5/);
  const run = merge(write('s.json', 1, [0.4]), failed);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')).protocol.roundNumbers, [1, 4, 5]);
});

test('overlapping rounds, other cards, bundles or counts, and files that are not --rounds files are refused with the fix', () => {
  assert.match(refusal(merge(write('e.json', 1, [0.4, 0.4]), write('f.json', 2, [0.4]))), /both hold round 2: run the later call with --first-round/);
  assert.match(refusal(merge(write('g.json', 1, [0.4]), write('h.json', 2, [0.4], { card: 'NVIDIA H200' }))), /on NVIDIA H200: merge one card's calls only/);
  assert.match(refusal(merge(write('i.json', 1, [0.4]), write('j.json', 2, [0.4], { bundle: 'def5678' }))), /bundle abc1234 and .*j\.json bundle def5678/);
  assert.match(refusal(merge(write('p.json', 1, [0.4]), write('q.json', 2, [0.4], { bundle: null }))), /q\.json bundle \(not recorded\): merge one bundle's calls only/);
  assert.match(refusal(merge(write('k.json', 1, [0.4]), write('l.json', 2, [0.4], { epochs: 200 }))), /epochs 50 and .*l\.json 200: merge calls timed alike only/);
  const profiles = join(dir, 'profiles.json');
  writeFileSync(profiles, JSON.stringify({ machine: {}, protocol: { runs: 5 }, rows: [] }));
  assert.match(refusal(merge(profiles)), /profiles\.json is not a bench\/gpu\.ts --rounds file/);
  const empty = join(dir, 'null.json');
  writeFileSync(empty, 'null');
  assert.match(refusal(merge(empty)), /null\.json is not a bench\/gpu\.ts --rounds file/);
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, '{"rows": [');
  assert.match(refusal(merge(cut)), /cut\.json cannot be read as JSON/);
  assert.match(refusal(merge(write('m.json', 1, [0.4], { card: '' }))), /m\.json does not say which card it ran on/);
});
