// Runs the real `gcnlab` command (bin/gcnlab.js) with Cora's data directory, as a user would.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DATA_DIR } from '../helpers/data-dir.js';

const bin = fileURLToPath(new URL('../../bin/gcnlab.js', import.meta.url));

export function gcnlab(args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GCNLAB_DATA_DIR: DATA_DIR, ...env },
    timeout: 600_000,
  });
}

/** The last line of stdout parsed as JSON (the contract of every --json flag). */
export function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}
