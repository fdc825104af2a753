// Gets a dataset's files as bytes: from the data directory, or the cache (downloading what is missing), verified.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, statSync, type Stats } from 'node:fs';
import { mkdir, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CacheDirError, ChecksumMismatchError, DataFormatError, DataMissingError } from '../errors.js';
import { DownloadFailure, downloadVerified } from './download.js';
import { DATA_DIR_ENV, DATA_URL_ENV, type DownloadProgress, type Source } from './sources.js';

export interface DatasetFile {
  dataset: string;
  /** File name inside the dataset's folder, e.g. 'ind.cora.x'. */
  name: string;
  /** Its public location (used unless a base URL is given). */
  url: string;
  /** Pinned SHA-256, when we know the exact bytes. */
  sha256?: string;
  /** Throws DataFormatError if the bytes are not what the file should hold; used before caching unpinned files. */
  validate: (bytes: Uint8Array, file: string) => void;
}

/** Beside an unpinned cached file: the SHA-256 seen when it was downloaded, so later corruption is caught. */
const RECORDED_SUFFIX = '.sha256';

/**
 * The largest dataset file read or downloaded. PubMed's biggest Planetoid file and CiteSeer's LINQS tarball are a
 * few MiB; the cap keeps a wrong or hostile file (a link to /dev/zero, a huge download) from filling memory.
 */
export const MAX_DATA_FILE_BYTES = 64 * 2 ** 20;

/**
 * Reads a data file only if it is a regular file of at most `maxBytes`. Opened without blocking and checked on the
 * open descriptor (so a FIFO, a device or a link to one is refused at once, and a swap after the check is caught).
 */
export async function readDataFile(path: string, maxBytes = MAX_DATA_FILE_BYTES): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DataFormatError(path, `it is ${fileKind(info)}, not a regular file: put the dataset's file itself there`);
    if (info.size > maxBytes) {
      throw new DataFormatError(path, `it is ${info.size} bytes, more than the ${maxBytes} bytes a dataset file may be: it is not the dataset's file`);
    }
    // Exactly the size stat gave: a file that grows while being read is not read past it.
    const bytes = Buffer.alloc(info.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await handle.read(bytes, got, bytes.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return bytes.subarray(0, got);
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    await handle.close();
  }
}

/** A file system error as a DataFormatError naming the file, the error's code and what to do; others as they are. */
function unreadable(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof DataFormatError || typeof code !== 'string') return error;
  if (code === 'EACCES' || code === 'EPERM') return new DataFormatError(path, `permission denied (${code}): let this user read it (chmod a+r), or copy the dataset to a folder it can read`);
  if (code === 'ENOENT') return new DataFormatError(path, `it does not exist (${code}): it was removed while gcnlab read the folder, or is a link to nothing`);
  return new DataFormatError(path, `${(error as Error).message} (${code})`);
}

function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isDirectory()) return 'a directory';
  if (info.isSocket()) return 'a socket';
  return 'not a plain file';
}

export async function obtainFiles(
  files: readonly DatasetFile[],
  source: Source,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Map<string, Uint8Array>> {
  return source.kind === 'dataDir' ? readDataDir(files, source) : readCache(files, source, onProgress);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readDataDir(files: readonly DatasetFile[], source: Extract<Source, { kind: 'dataDir' }>): Promise<Map<string, Uint8Array>> {
  const dataset = files[0].dataset;
  const nested = join(source.dir, dataset);
  const folder = existsSync(nested) && statSync(nested).isDirectory() ? nested : source.dir;
  checkFolderReadable(folder);
  const out = new Map<string, Uint8Array>();
  const missing: string[] = [];
  for (const file of files) {
    const path = join(folder, file.name);
    if (!existsSync(path)) {
      missing.push(file.name);
      continue;
    }
    const bytes = await readDataFile(path);
    if (file.sha256) {
      const actual = sha256(bytes);
      if (actual !== file.sha256) throw new ChecksumMismatchError(path, file.sha256, actual, dataDirFix(file, source));
    }
    out.set(file.name, bytes);
  }
  if (missing.length > 0) {
    const origin = source.from === 'env' ? `${DATA_DIR_ENV}=${source.dir}` : `the dataDir option (${source.dir})`;
    const notAFolder = existsSync(source.dir) && !statSync(source.dir).isDirectory();
    const there = notAFolder
      ? `${origin} is a file, not a folder: name the folder that holds ${dataset}/ with its files`
      : `not found in ${folder}, chosen by ${origin}. Put the files there`;
    throw new DataMissingError(
      dataset,
      missing,
      `${there} (public copies: ${urls(files, missing)}), ` +
        `or ${source.from === 'env' ? `unset ${DATA_DIR_ENV}` : 'leave dataDir out'} to have gcnlab download them into its cache`,
    );
  }
  return out;
}

/** A data folder this user cannot look into would otherwise read as one whose files are all missing. */
function checkFolderReadable(folder: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return;
  try {
    accessSync(folder, constants.R_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataFormatError(folder, `it is a folder this user cannot open (${code}): let it read the folder (chmod a+rx), or copy the dataset to one it can read`);
  }
}

/** What to do about a data folder's file that is not the pinned one: nothing was downloaded or cached. */
function dataDirFix(file: DatasetFile, source: Extract<Source, { kind: 'dataDir' }>): string {
  const ownCopy = `gcnlab's own copy (the one shipped with it, or downloaded into its cache)`;
  if (source.from === 'embedded') {
    return `The copy shipped inside gcnlab is damaged: reinstall gcnlab, or set ${DATA_DIR_ENV} to a folder holding an intact copy of ${file.url}`;
  }
  const leave = source.from === 'env' ? `unset ${DATA_DIR_ENV} (=${source.dir})` : `leave the dataDir option (${source.dir}) out`;
  return `It was read from a data folder, not downloaded: replace it with an intact copy of ${file.url}, or ${leave} to use ${ownCopy}`;
}

async function readCache(
  files: readonly DatasetFile[],
  source: Extract<Source, { kind: 'cache' }>,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Map<string, Uint8Array>> {
  const dataset = files[0].dataset;
  const folder = join(source.dir, dataset);
  await removeDeadPartFiles(folder);
  const out = new Map<string, Uint8Array>();
  const toFetch: DatasetFile[] = [];
  for (const file of files) {
    const cached = await readCached(join(folder, file.name), file, source.dir);
    if (cached) out.set(file.name, cached);
    else toFetch.push(file);
  }
  const at = (file: DatasetFile) => (source.baseUrl ? `${source.baseUrl}/${file.name}` : file.url);
  const failures = new Map<string, string[]>();
  let untried = 0;
  if (source.download && toFetch.length > 0) await makeCacheFolder(folder, source.dir, dataset);
  if (source.download) {
    for (const [k, file] of toFetch.entries()) {
      try {
        out.set(file.name, await fetchIntoCache(file, at(file), join(folder, file.name), onProgress));
      } catch (error) {
        if (!(error instanceof DownloadFailure)) throw error;
        failures.set(error.reason, [...(failures.get(error.reason) ?? []), file.name]);
        // A server that does not answer at all would not answer for the next file either: trying them all would
        // cost the timeout once per file (8 for a Planetoid dataset) before this error.
        if (error.unreachable) {
          untried = toFetch.length - k - 1;
          break;
        }
      }
    }
  }
  const missing = toFetch.filter((file) => !out.has(file.name));
  if (missing.length > 0) {
    const tried = missing.length - untried;
    const reasons = [...failures].map(([reason, names]) => `${reason} (${names.length === tried ? (tried === 1 ? names[0] : 'all tried') : names.join(', ')})`).join('; ');
    const why = failures.size > 0
      ? `downloading failed: ${reasons}${untried > 0 ? `; the other ${untried} not tried` : ''}. Check the network${source.baseUrl ? ` and ${DATA_URL_ENV} (or the baseUrl option, ${source.baseUrl})` : ''}, or`
      : 'downloads are turned off (download: false). Allow them, or';
    throw new DataMissingError(
      dataset,
      missing.map((file) => file.name),
      `not in the cache ${folder} and ${why} set ${DATA_DIR_ENV} to a folder holding ${dataset}/<file> ` +
        `copied from ${missing.map(at).join(', ')}`,
      failures.keys().next().value,
    );
  }
  return out;
}

/**
 * Makes the dataset's cache folder one level at a time, refusing with CacheDirError where a file is in the way or a
 * level cannot be made or written (a recursive mkdir under /proc never returns).
 */
async function makeCacheFolder(folder: string, cacheDir: string, dataset: string): Promise<void> {
  const toMake: string[] = [];
  let at = folder;
  while (!existsSync(at) && dirname(at) !== at) {
    toMake.unshift(at);
    at = dirname(at);
  }
  if (!statSync(at).isDirectory()) throw new CacheDirError(cacheDir, dataset, `${at} is a file, not a folder`);
  let making = folder;
  try {
    for (making of toMake) {
      // Another process making the same folder at the same time is fine.
      await mkdir(making).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new CacheDirError(cacheDir, dataset, `${making} cannot be ${existsSync(making) ? 'written' : 'made'} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Downloads one file into the cache: a pinned file must match its hash, an unpinned one must parse. */
async function fetchIntoCache(file: DatasetFile, url: string, dest: string, onProgress?: (progress: DownloadProgress) => void): Promise<Uint8Array> {
  const label = `${file.dataset}/${file.name}`;
  const named = `${label} (downloaded from ${url})`;
  const { bytes } = await downloadVerified(url, dest, label, ({ bytes: got, sha256: actual }) => {
    if (file.sha256 && actual !== file.sha256) throw new ChecksumMismatchError(named, file.sha256, actual, downloadFix(file, url));
    if (!file.sha256) file.validate(got, named);
  }, { maxBytes: MAX_DATA_FILE_BYTES }, onProgress);
  if (!file.sha256) await record(dest, sha256(bytes));
  return bytes;
}

/** What to do about a download that is not the pinned file: it was refused before being cached. */
function downloadFix(file: DatasetFile, url: string): string {
  if (url === file.url) {
    return `Nothing was cached: try again (a proxy or a broken connection can change the bytes), or set ${DATA_URL_ENV} to a mirror of the original files`;
  }
  return `Nothing was cached: try again, or check that the base URL (${DATA_URL_ENV} or the baseUrl option) serves the original ${file.name}, as ${file.url} does`;
}

/**
 * A cached file if it is intact: it matches its pinned hash, or the hash recorded beside it at download. One that
 * differs, has no valid record, or is not a regular file of a sane size is removed so it is fetched again.
 */
async function readCached(path: string, file: DatasetFile, cacheDir: string): Promise<Uint8Array | undefined> {
  if (!existsSync(path)) return undefined;
  const bytes = await readDataFile(path).catch((error: unknown) => {
    if (error instanceof DataFormatError) return undefined;
    throw error;
  });
  const expected = file.sha256 ?? (await readRecorded(path + RECORDED_SUFFIX));
  if (bytes && expected !== undefined && sha256(bytes) === expected) return bytes;
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    throw new CacheDirError(cacheDir, file.dataset, `${path} is not an intact copy of ${file.name} and cannot be removed (${error.code ?? String(error)}): remove it`);
  });
  await unlink(path + RECORDED_SUFFIX).catch(() => undefined);
  return undefined;
}

/** The SHA-256 in a sidecar written by `record`, or undefined when it is missing or not one. */
async function readRecorded(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const text = Buffer.from(await readDataFile(path, 1024).catch(() => new Uint8Array())).toString('latin1');
  return /^[0-9a-f]{64}(?=\s)/.exec(text)?.[0];
}

/** A download's temp file (download.ts: NAME.PID-HEX.part) or a record's (NAME.sha256.PID.part), with the writer's pid. */
const PART_FILE = /\.(\d+)(?:-[0-9a-f]+)?\.part$/;

/**
 * Removes the temp files of downloads whose process is gone: one killed by SIGKILL (or the OOM killer, or a power
 * cut) could not remove its own. A live process's file, another run downloading now, is left alone.
 */
async function removeDeadPartFiles(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const pid = PART_FILE.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) await unlink(join(folder, name)).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function record(path: string, hash: string): Promise<void> {
  const temp = `${path}${RECORDED_SUFFIX}.${process.pid}.part`;
  await writeFile(temp, `${hash}  ${path.split(/[\\/]/).pop()}\n`);
  await rename(temp, path + RECORDED_SUFFIX);
}

function urls(files: readonly DatasetFile[], names: readonly string[]): string {
  return [...new Set(files.filter((file) => names.includes(file.name)).map((file) => file.url))].join(', ');
}
