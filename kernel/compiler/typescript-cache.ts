// Loads tslab's TypeScript (one 9 MB script) with V8's code cache, so that a compiler thread does not compile it from
// source at every start: the cache is written once the thread has compiled its first cell (then it holds the
// functions a compile needs), beside the user's other caches, and used by every later start of the same Node.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { userCacheDir } from 'gcnlab/cache-dir';

const require = createRequire(import.meta.url);

/**
 * Code caches kept in the user's cache folder, the most recently used first: each install of TypeScript (a new
 * size or time) names a new one of 3-4 MB, and a machine with several Node versions or kernel installs uses several.
 */
export const KEPT_CACHES = 4;

/** A cache file's name: `typescript-<node>-<arch>-<size>-<mtime>.v8cache`. */
const CACHE_FILE = /^typescript-.+\.v8cache$/;

export interface TypeScriptLoad {
  /** Whether V8 took the cache (false on a first start, or after Node or TypeScript changed). */
  readonly cached: boolean;
  /** Writes the cache if V8 did not take one; once, and never an error (a cache that cannot be written is skipped). */
  save(): void;
}

/**
 * Puts TypeScript into require's cache (converter.ts and tslab then require the same module). The cache file is named
 * by Node's version and the script's size and time, so another Node or TypeScript never reads it; V8 also checks
 * its own version and flags and rejects a cache that does not fit, which only costs the compile it would have saved.
 */
export function loadTypeScript(): TypeScriptLoad {
  const path = require.resolve('@tslab/typescript-for-tslab');
  if (require.cache[path]) return { cached: false, save: () => undefined };
  const source = readFileSync(path, 'utf8');
  const { size, mtimeMs } = statSync(path);
  const file = join(userCacheDir(), `typescript-${process.version}-${process.arch}-${size}-${Math.round(mtimeMs)}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: path, cachedData });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  // Used now: the pruning below counts it among the most recent.
  if (cached) touch(file);
  const mod = new Module(path);
  mod.filename = path;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(path));
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(path), mod, path, dirname(path));
  mod.loaded = true;
  require.cache[path] = mod;
  let saved = cached;
  return {
    cached,
    save() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(dirname(file), { recursive: true });
        const next = `${file}.${process.pid}.tmp`;
        writeFileSync(next, script.createCachedData());
        renameSync(next, file);
        pruneCaches(dirname(file), KEPT_CACHES);
      } catch {
        // A read-only home: every start compiles TypeScript from source, as without the cache.
      }
    },
  };
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache folder: the cache is still used, only its age is not updated.
  }
}

/** Removes all but the `keep` most recently used code caches in `dir` (other files there are left alone). */
export function pruneCaches(dir: string, keep: number): void {
  const caches = readdirSync(dir)
    .filter((name) => CACHE_FILE.test(name))
    .map((name) => ({ path: join(dir, name), used: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { path } of caches.slice(keep)) {
    try {
      unlinkSync(path);
    } catch {
      // Removed by another kernel meanwhile, or not ours to remove.
    }
  }
}
