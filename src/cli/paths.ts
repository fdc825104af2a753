// Output files named on the command line, checked before any long work so a typo never wastes a benchmark.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage.js';

/** Refuses `path` for `--flag` unless it can be written: its folder exists and is writable, and it is no folder. */
export function checkOutputFile(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  const full = resolve(path);
  const folder = dirname(full);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`--${flag} ${path} is a folder: name a file inside it`);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`--${flag} ${path}: the folder ${folder} does not exist; create it or write the file elsewhere`);
  }
  try {
    accessSync(folder, constants.W_OK);
    if (existsSync(full)) accessSync(full, constants.W_OK);
  } catch {
    throw new UsageError(`--${flag} ${path}: ${existsSync(full) ? 'the file' : `the folder ${folder}`} is not writable; choose another path`);
  }
}
