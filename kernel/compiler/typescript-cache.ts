// Loads tslab's TypeScript (one 9 MB script) with V8's code cache, so that a compiler thread does not compile it from
// source at every start: the cache is written once the thread has compiled its first cell (then it holds the
// functions a compile needs), beside the user's other caches, and used by every later start of the same Node.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { userCacheDir } from 'gcnlab/cache-dir';

const require = createRequire(import.meta.url);


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
      } catch {
        // A read-only home: every start compiles TypeScript from source, as without the cache.
      }
    },
  };
}
