// `gcnlab devices` through the real command line.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';

const bin = new URL('../../bin/gcnlab.js', import.meta.url).pathname;

test('gcnlab devices --json prints every device as JSON', () => {
  const out = execFileSync(process.execPath, [bin, 'devices', '--json'], { encoding: 'utf8' });
  const devices = JSON.parse(out.trim().split('\n').at(-1)!) as { name: string; available: boolean }[];
  assert.deepEqual(
    devices.map((d) => d.name),
    ['cpu', 'wasm', 'webgpu', 'tensorflow', 'cuda'],
  );
  assert.ok(devices.find((d) => d.name === 'cpu')!.available);
});

test('gcnlab devices prints one line per device with its status', () => {
  const out = execFileSync(process.execPath, [bin, 'devices'], { encoding: 'utf8' });
  assert.match(out, /^cpu\s+available/m);
  assert.match(out, /^webgpu\s+(available|unavailable)\s+\S/m);
});

test('gcnlab devices names the default device and why: wasm, the fastest, where it works', () => {
  const devices = JSON.parse(execFileSync(process.execPath, [bin, 'devices', '--json'], { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { name: string; available: boolean; default: boolean }[];
  const chosen = devices.filter((d) => d.default);
  assert.equal(chosen.length, 1);
  const wasm = devices.find((d) => d.name === 'wasm')!;
  assert.equal(chosen[0].name, wasm.available ? 'wasm' : 'cpu');
  const out = execFileSync(process.execPath, [bin, 'devices'], { encoding: 'utf8' });
  assert.match(out, new RegExp(`^default: ${chosen[0].name} \\((the fastest|wasm, the fastest, is unavailable).+\\)$`, 'm'));
});

test('an unknown command or option exits non-zero with one clear line', () => {
  const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
  const badFlag = spawnSync(process.execPath, [bin, 'devices', '--bogus'], { encoding: 'utf8' });
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /--bogus/);
});
