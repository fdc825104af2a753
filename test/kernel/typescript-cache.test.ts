// The kernel's TypeScript code caches (3-4 MB each, one per install of TypeScript and Node) do not pile up in the
// user's cache folder: the most recently used KEPT_CACHES stay, other files there are left alone.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KEPT_CACHES, pruneCaches } from '../../kernel/compiler/typescript-cache.js';

test('pruning keeps the most recently used code caches and nothing else of the cache folder is touched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-v8cache-'));
  try {
    const names = Array.from({ length: 7 }, (_, k) => `typescript-v20.20.2-x64-9000000-${1000 + k}.v8cache`);
    names.forEach((name, k) => {
      writeFileSync(join(dir, name), 'x');
      // Used k hours ago: the first is the newest.
      const when = new Date(Date.now() - k * 3_600_000);
      utimesSync(join(dir, name), when, when);
    });
    writeFileSync(join(dir, 'device-cache.json'), '{}');
    pruneCaches(dir, KEPT_CACHES);
    assert.deepEqual(readdirSync(dir).sort(), [...names.slice(0, KEPT_CACHES), 'device-cache.json'].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
