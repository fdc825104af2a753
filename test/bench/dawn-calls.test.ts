// bench/dawn-calls.ts as a user runs it, on Dawn's null backend: one JSON line with each call's cost, the dispatch
// calls counted once per dispatch asked for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { dawnMissing } from '../helpers/dawn.js';

test('bench/dawn-calls.ts prints each WebGPU call of an epoch with its median host cost, for the dispatches asked', { skip: dawnMissing }, () => {
  const run = (dispatches: number) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/dawn-calls.ts', '--backend', 'null', '--epochs', '200', '--dispatches', String(dispatches)], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as { kind: string; dispatches: number; callsUs: Record<string, number>; perDispatchUs: number; epochUs: number; adapter: { backend: string } };
  };
  const one = run(1);
  const twenty = run(20);
  assert.equal(one.kind, 'dawn-calls');
  assert.equal(one.adapter.backend, 'null');
  for (const call of ['createCommandEncoder', 'setPipeline', 'setBindGroup', 'dispatchWorkgroups', 'finish', 'submit', 'mapAsync', 'mapAsync resolved', 'unmap']) {
    assert.ok(one.callsUs[call] > 0, `${call} timed`);
  }
  assert.equal(twenty.dispatches, 20);
  for (const r of [one, twenty]) assert.ok(r.perDispatchUs > 0 && r.epochUs > r.perDispatchUs, JSON.stringify(r));
});
