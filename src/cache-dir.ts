// The per-user cache folder gcnlab keeps downloads and probe results in.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CACHE_DIR_ENV = 'GCNLAB_CACHE_DIR';

/** $GCNLAB_CACHE_DIR, else $XDG_CACHE_HOME/gcnlab, else ~/.cache/gcnlab (read at call time). */
export function userCacheDir(): string {
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  return resolve(env(CACHE_DIR_ENV) ?? join(env('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'gcnlab'));
}
