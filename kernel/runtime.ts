// The gcnlab runtime as the kernel sees it: loaded through its public entry point, as a notebook would, and
// optional: when it fails to load, the kernel still runs TypeScript and says why devices are missing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type Gcnlab = typeof import('gcnlab');

const require = createRequire(import.meta.url);

/** Where the gcnlab package lives: cells that import it from any folder fall back to here. */
export const packageRoot = dirname(require.resolve('gcnlab/package.json'));
export const packageJson = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { name: string; version: string };

let loading: Promise<Gcnlab> | undefined;

export function loadRuntime(): Promise<Gcnlab> {
  loading ??= import('gcnlab');
  return loading;
}
