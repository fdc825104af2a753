// The offline data error as one short line: the folder to fill and GCNLAB_DATA_DIR; the URLs only with --verbose.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userCacheDir } from '../cache-dir.js';
import { DATA_DIR_ENV, DATA_URL_ENV, type DatasetName } from '../data/index.js';
import { ChecksumMismatchError, DataMissingError } from '../errors.js';
import { UsageError } from './usage.js';

/**
 * Rewrites a DataMissingError for the terminal (the full one, with URLs, under --verbose), and a checksum mismatch in
 * the words of the command line (--data-dir, not the dataDir option); others pass through.
 */
export function shortDataError(error: unknown, dataset: DatasetName, dataDir: string | undefined, verbose: boolean): unknown {
  if (error instanceof ChecksumMismatchError && dataDir !== undefined) {
    const fix = error.fix.replace(`leave the dataDir option (${resolve(dataDir)}) out`, `leave --data-dir out`);
    return new ChecksumMismatchError(error.file, error.expected, error.actual, fix);
  }
  if (!(error instanceof DataMissingError) || verbose) return error;
  const fromEnv = dataDir === undefined ? process.env[DATA_DIR_ENV] || undefined : undefined;
  const chosen = dataDir ?? fromEnv;
  const folder = join(chosen ?? userCacheDir(), dataset);
  const files = error.missing.length === 1 ? error.missing[0] : `${error.missing.length} files (${error.missing[0]}, ...)`;
  if (chosen && existsSync(chosen) && !statSync(chosen).isDirectory()) {
    return new UsageError(`${fromEnv ? `${DATA_DIR_ENV}=${fromEnv}` : `--data-dir ${chosen}`} is a file, not a folder: name the folder that holds ${dataset}/ with its files`);
  }
  const where = chosen
    ? `copy them into ${folder}${fromEnv ? ` (${DATA_DIR_ENV}=${fromEnv})` : ''}`
    : `downloading into ${folder} failed${error.downloadFailure ? ` (${error.downloadFailure}${process.env[DATA_URL_ENV] ? `, from ${DATA_URL_ENV}` : ''})` : ''}; set ${DATA_DIR_ENV} to a folder holding ${dataset}/ with them`;
  return new UsageError(`dataset '${dataset}' is missing ${files}: ${where}; --verbose says where to download them`);
}
