// Where dataset files come from: a data directory, the copy of Cora shipped inside gcnlab, or the per-user cache
// filled from the public URLs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { CACHE_DIR_ENV, userCacheDir } from '../cache-dir.js';

export { CACHE_DIR_ENV };
export const DATA_DIR_ENV = 'GCNLAB_DATA_DIR';
export const DATA_URL_ENV = 'GCNLAB_DATA_URL';

/** The Planetoid project's files (the ones PyG and DGL download). */
export const PLANETOID_URL = 'https://github.com/kimiyoung/planetoid/raw/master/data';
/** LINQS's tarballs (`cora.tgz` holds `cora/cora.content` and `cora/cora.cites`, the article's input). */
export const LINQS_URL = 'https://linqs-data.soe.ucsc.edu/public/lbc';

export interface SourceOptions {
  /** A folder holding DATASET/FILE (or FILE directly). Default: $GCNLAB_DATA_DIR; unset means the cache. */
  dataDir?: string;
  /** The download cache. Default: $GCNLAB_CACHE_DIR, else $XDG_CACHE_HOME/gcnlab, else ~/.cache/gcnlab. */
  cacheDir?: string;
  /** Serve every file from BASE/FILE instead of its public location. Default: $GCNLAB_DATA_URL. */
  baseUrl?: string;
  /** Fetch missing files into the cache (default true); false fails with DataMissingError instead. */
  download?: boolean;
  /** Called as a download progresses (for progress bars). */
  onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadProgress {
  file: string;
  url: string;
  receivedBytes: number;
  /** From Content-Length; undefined when the server does not say. */
  totalBytes?: number;
}

export type Source =
  | { kind: 'dataDir'; dir: string; from: 'option' | 'env' | 'embedded' }
  | { kind: 'cache'; dir: string; baseUrl?: string; download: boolean };

/** Reads the options, then the environment (at call time, so a changed variable is seen). */
export function resolveSource(options: SourceOptions): Source {
  const dataDir = options.dataDir ?? nonEmpty(process.env[DATA_DIR_ENV]);
  if (dataDir !== undefined) return { kind: 'dataDir', dir: resolve(dataDir), from: options.dataDir !== undefined ? 'option' : 'env' };
  return {
    kind: 'cache',
    dir: resolve(options.cacheDir ?? userCacheDir()),
    baseUrl: (options.baseUrl ?? nonEmpty(process.env[DATA_URL_ENV]))?.replace(/\/+$/, ''),
    download: options.download ?? true,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The datasets whose files ship inside gcnlab (data/NAME/ at the package root). */
export const EMBEDDED_DATASETS: readonly string[] = ['cora'];

/**
 * The shipped copy, in place of the cache, when nothing else was asked for: no data folder and no base URL. Its
 * files are checked against the same pinned sums as a cached copy, so the cache has nothing to add (and a corrupt
 * cached file, which an offline run could not fetch again, is never in the way). A base URL means "download from
 * there", so it always goes to the cache.
 */
export function withEmbedded(source: Source, dataset: string, fileNames: readonly string[]): Source {
  if (source.kind !== 'cache' || source.baseUrl !== undefined || !EMBEDDED_DATASETS.includes(dataset)) return source;
  const dir = join(packageRoot(), 'data', dataset);
  // A copy of gcnlab packed without the folder falls back to the cache and its download.
  if (!fileNames.every((name) => existsSync(join(dir, name)))) return source;
  return { kind: 'dataDir', dir, from: 'embedded' };
}

/** gcnlab's own folder, found through its package name (the same from src/ under tsx and from dist/). */
function packageRoot(): string {
  return dirname(createRequire(import.meta.url).resolve('gcnlab/package.json'));
}
