// Paths named on the command line (output files, the data folder), checked before any long work so a typo never wastes a
// benchmark, and the output files written after it without losing the results.
import { closeSync, existsSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Out } from './run.js';
import { UsageError } from './usage.js';

/**
 * Refuses `path` for `--flag` unless it can be written: its folder exists, it is no folder, and opening it for
 * writing works (a file made only to try is removed), so a path that cannot take the file fails before the work.
 */
export function checkOutputFile(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path === '') throw new UsageError(`--${flag} needs a file name, got ''`);
  const full = resolve(path);
  const folder = dirname(full);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`--${flag} ${path} is a folder: name a file inside it`);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`--${flag} ${path}: the folder ${folder} does not exist; create it or write the file elsewhere`);
  }
  const existed = existsSync(full);
  try {
    closeSync(openSync(full, 'a'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`--${flag} ${path}: ${existed ? 'the file' : `a file in ${folder}`} cannot be written (${code}); choose another path`);
  }
  if (!existed) unlinkSync(full);
}

/**
 * Writes `text` to `--flag`'s file, checked before the work but still able to fail (a full disk, a quota). Then the
 * partial file is removed and `instead` (the results as one JSON line), where given, goes to `out` first, so a long
 * benchmark's results are not lost; the refusal names the file and the error.
 */
export function writeOutputFile(flag: string, path: string, text: string, instead?: { out: Out; line: string }): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    // A partial file goes; anything else (a device such as /dev/full) stays.
    try {
      if (statSync(path).isFile()) unlinkSync(path);
    } catch {
      // Not made, or not removable either: the refusal below says what went wrong.
    }
    instead?.out(instead.line);
    throw new UsageError(`--${flag} ${path}: writing the results failed (${code})${instead ? '; they are printed above instead' : ''}. Free space there or choose another path`);
  }
}

/** `--data-dir`: a folder's name (one that does not exist yet is the loader's to report, with what to put there). */
export function dataFolder(raw: string): string {
  if (raw === '') throw new UsageError(`--data-dir needs a folder, got ''`);
  if (existsSync(raw) && !statSync(raw).isDirectory()) {
    throw new UsageError(`--data-dir ${raw} is a file, not a folder: name the folder that holds the dataset's folder (cora/ind.cora.x, ...)`);
  }
  return raw;
}
