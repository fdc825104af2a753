// The device cache: a new process (a kernel starting) names the devices without probing, until something changes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gcnlab.js', import.meta.url));
const cacheModule = new URL('../../src/device/cache.ts', import.meta.url).href;

function cachedIn(cacheDir: string, env: Record<string, string> = {}): { name: string; available: boolean }[] | null {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(cacheModule)}); console.log(JSON.stringify(m.cachedDevices() ?? null));`],
    { encoding: 'utf8', env: { ...process.env, GCNLAB_CACHE_DIR: cacheDir, ...env } },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

test('listing the devices once lets the next process read them from the cache', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-devcache-'));
  assert.equal(cachedIn(cacheDir), null, 'nothing cached before the first probe');
  execFileSync(process.execPath, [bin, 'devices', '--json'], { env: { ...process.env, GCNLAB_CACHE_DIR: cacheDir } });
  assert.ok(existsSync(join(cacheDir, 'devices.json')));
  const cached = cachedIn(cacheDir)!;
  assert.deepEqual(cached.map((d) => d.name), ['cpu', 'wasm', 'webgpu', 'tensorflow', 'cuda']);
  assert.equal(cached[0].available, true);
});

test('a change that could change a probe (here the library path) makes the cache stale', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-devcache-'));
  execFileSync(process.execPath, [bin, 'devices', '--json'], { env: { ...process.env, GCNLAB_CACHE_DIR: cacheDir } });
  assert.notEqual(cachedIn(cacheDir), null);
  assert.equal(cachedIn(cacheDir, { LD_LIBRARY_PATH: '/opt/new-driver/lib' }), null);
});
