// Data that this user may not read, and a cache with a folder where a file belongs: one line naming the path and the
// fix (exit 2), never a stack trace. Run as an ordinary user: root reads every file, so as root it runs as nobody.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DATA_DIR } from '../helpers/data-dir.js';
import { gcnlab } from './run-cli.js';

const bin = fileURLToPath(new URL('../../bin/gcnlab.js', import.meta.url));
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const asRoot = process.getuid?.() === 0;

/** `gcnlab ARGS` as an ordinary user: this one, or nobody where this is root. */
function asUser(args: string[]) {
  const command = asRoot ? ['setpriv', [...NOBODY, 'env', 'HOME=/nonexistent', process.execPath, bin, ...args]] as const : [process.execPath, [bin, ...args]] as const;
  return spawnSync(command[0], command[1], { encoding: 'utf8', env: { ...process.env, GCNLAB_DATA_DIR: '' }, timeout: 120_000 });
}

/** Why nobody cannot run gcnlab from this checkout (a home folder of mode 700 on the way), or undefined. */
function nobodyCannotRun(): string | undefined {
  if (!asRoot) return undefined;
  const probe = spawnSync('setpriv', [...NOBODY, 'test', '-r', bin], { encoding: 'utf8' });
  if (probe.error) return `setpriv is not here (${probe.error.message})`;
  return probe.status === 0 ? undefined : `user nobody cannot read ${bin}`;
}

test('a data file or folder this user may not read is refused in one line naming it and the fix', { skip: nobodyCannotRun() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-unreadable-'));
  try {
    cpSync(join(DATA_DIR, 'cora'), join(dir, 'cora'), { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'cora'), 0o755);
    chmodSync(join(dir, 'cora', 'ind.cora.ty'), 0o000);
    const file = asUser(['train', '--epochs', '1', '--data-dir', dir]);
    assert.equal(file.status, 2, file.stderr);
    assert.equal(file.stderr, `gcnlab train: file '${join(dir, 'cora', 'ind.cora.ty')}' could not be read: permission denied (EACCES): let this user read it (chmod a+r), or copy the dataset to a folder it can read\n`);
    chmodSync(join(dir, 'cora', 'ind.cora.ty'), 0o644);
    chmodSync(join(dir, 'cora'), 0o700);
    const folder = asUser(['train', '--epochs', '1', '--data-dir', dir]);
    assert.equal(folder.status, 2, folder.stderr);
    assert.match(folder.stderr, /^gcnlab train: file '[^']+\/cora' could not be read: it is a folder this user cannot open \(EACCES\): let it read the folder \(chmod a\+rx\)[^\n]*\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder in the cache where a data file belongs is refused in one line saying to remove it', () => {
  const cache = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
  try {
    mkdirSync(join(cache, 'citeseer', 'ind.citeseer.x'), { recursive: true });
    const run = gcnlab(['train', '--dataset', 'citeseer', '--epochs', '1'], { GCNLAB_DATA_DIR: '', GCNLAB_CACHE_DIR: cache, GCNLAB_DATA_URL: 'http://127.0.0.1:9/' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^gcnlab train: the download cache [^\n]* cannot hold citeseer's files: [^\n]*ind\.citeseer\.x is not an intact copy of ind\.citeseer\.x and cannot be removed \(EISDIR\): remove it\.[^\n]*\n$/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
