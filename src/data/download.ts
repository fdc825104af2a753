// Downloads one file into place safely: stream to a temp file under a size cap and timeouts, verify, then rename
// (never a bad file cached, no temp file left behind, even when the process is interrupted).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import type { DownloadProgress } from './sources.js';

/** The network or server failed us (as opposed to a file that arrived and was bad). */
export class DownloadFailure extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    /** No answer at all (a bad URL, no route, refused, timed out before the headers): the server's other files would fail the same way. */
    readonly unreachable = false,
  ) {
    super(`${url}: ${reason}`);
  }
}

export interface Downloaded {
  bytes: Uint8Array;
  sha256: string;
}

/** Seconds to wait for a server's answer, and then between two chunks of its file. */
export const DOWNLOAD_TIMEOUT_ENV = 'GCNLAB_DOWNLOAD_TIMEOUT';
const DEFAULT_TIMEOUT_SECONDS = 30;

export interface DownloadLimits {
  /** Most bytes accepted; a longer file (or one announcing more) is refused. */
  maxBytes: number;
  /** Milliseconds until the response headers, then the longest pause between chunks and the span over which at least 1 KiB a second must arrive. Default: $GCNLAB_DOWNLOAD_TIMEOUT s, else 30 s. */
  timeoutMs?: number;
}

function timeoutMs(limits: DownloadLimits): number {
  if (limits.timeoutMs !== undefined) return limits.timeoutMs;
  const text = process.env[DOWNLOAD_TIMEOUT_ENV];
  if (text === undefined || text === '') return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  // A mistyped value would otherwise silently mean the default.
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new InvalidOptionError(DOWNLOAD_TIMEOUT_ENV, text, `seconds, a number above 0 (unset: ${DEFAULT_TIMEOUT_SECONDS})`);
  return seconds * 1000;
}

/**
 * Fetches `url` to `dest`. `verify` sees the bytes and their SHA-256 before the file is moved into place and
 * throws (ChecksumMismatchError, DataFormatError) to reject it; a rejected or broken download leaves nothing behind.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  file: string,
  verify: (downloaded: Downloaded) => void,
  limits: DownloadLimits,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Downloaded> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  removeOnExit(temp);
  try {
    const downloaded = await fetchToFile(url, temp, file, limits, onProgress);
    verify(downloaded);
    await rename(temp, dest);
    return downloaded;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    keepOnExit(temp);
  }
}

async function fetchToFile(url: string, temp: string, file: string, limits: DownloadLimits, onProgress?: (progress: DownloadProgress) => void): Promise<Downloaded> {
  const wait = timeoutMs(limits);
  const response = await get(url, wait, MAX_REDIRECTS);
  let stalled: TimeoutFailure | undefined;
  response.setTimeout(wait, () => response.destroy((stalled = new TimeoutFailure(`stalled: nothing received for ${wait / 1000} s`))));
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  // A server that sends a little now and then, never pausing as long as `wait`, is cut off too (curl's --speed-limit):
  // each `wait` window must bring MIN_BYTES_PER_SECOND on average.
  let windowStart = 0;
  const slow = setInterval(() => {
    const bytes = receivedBytes - windowStart;
    windowStart = receivedBytes;
    if (bytes < (MIN_BYTES_PER_SECOND * wait) / 1000) {
      response.destroy((stalled = new TimeoutFailure(`too slow: ${bytes} bytes in the last ${wait / 1000} s, under ${MIN_BYTES_PER_SECOND} a second`)));
    }
  }, wait);
  const out = createWriteStream(temp);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('close', resolve);
  });
  try {
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) throw new DownloadFailure(url, `HTTP ${status} ${response.statusMessage ?? ''}`.trim());
    const header = response.headers['content-length'];
    const totalBytes = header === undefined ? undefined : Number(header);
    if (totalBytes !== undefined && totalBytes > limits.maxBytes) {
      throw new DownloadFailure(url, `announces ${totalBytes} bytes, more than the ${limits.maxBytes} a dataset file may be`);
    }
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        receivedBytes += chunk.byteLength;
        if (receivedBytes > limits.maxBytes) throw new DownloadFailure(url, `sent more than the ${limits.maxBytes} bytes a dataset file may be`);
        hash.update(chunk);
        chunks.push(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        onProgress?.({ file, url, receivedBytes, totalBytes });
      }
      if (!response.complete) throw new Error('connection closed');
    } catch (error) {
      if (error instanceof DownloadFailure) throw error;
      throw new DownloadFailure(url, `cut short after ${receivedBytes}${totalBytes ? ` of ${totalBytes}` : ''} bytes (${describeError(stalled ?? error)})`);
    }
  } finally {
    clearInterval(slow);
    response.destroy();
    out.end();
    await closed;
  }
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

/** The slowest download kept going, in bytes a second averaged over each timeout's span (Cora's largest file, 4 MB, would take an hour). */
const MIN_BYTES_PER_SECOND = 1024;

/** GitHub's raw links redirect once or twice. */
const MAX_REDIRECTS = 5;

/**
 * The response to GET `url`, after redirects. node:http rather than fetch: fetch parses HTTP in WebAssembly, which
 * cannot start under an address-space limit (ulimit -v), as on some shared machines. `wait` bounds the time to the
 * response headers (and any silence of the socket before them).
 */
function get(url: string, wait: number, redirectsLeft: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new DownloadFailure(url, 'not a valid URL', true));
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new DownloadFailure(url, `${target.protocol} is not http: or https:`, true));
      return;
    }
    const request = (target.protocol === 'https:' ? httpsGet : httpGet)(target, { timeout: wait });
    const answered = setTimeout(() => request.destroy(new TimeoutFailure(`no answer within ${wait / 1000} s`)), wait);
    request.on('timeout', () => request.destroy(new TimeoutFailure(`no answer within ${wait / 1000} s`)));
    request.on('error', (error) => {
      clearTimeout(answered);
      reject(new DownloadFailure(url, describeError(error), true));
    });
    request.on('response', (response) => {
      clearTimeout(answered);
      // From here the caller times the body's silences (response.setTimeout).
      request.removeAllListeners('timeout');
      const location = response.headers.location;
      if (response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400 && location) {
        response.destroy();
        if (redirectsLeft === 0) reject(new DownloadFailure(url, `more than ${MAX_REDIRECTS} redirects`));
        else resolve(get(new URL(location, target).href, wait, redirectsLeft - 1));
        return;
      }
      resolve(response);
    });
  });
}

/** Why a request was dropped by our own timeouts, so the reason says so rather than "socket hang up". */
class TimeoutFailure extends Error {}

function describeError(error: unknown): string {
  if (error instanceof TimeoutFailure) return error.message;
  return (error as { code?: string }).code ?? (error as Error).message;
}

/** Temp files of downloads in flight: removed if the process exits or is killed by SIGINT/SIGTERM meanwhile. */
const inFlight = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeAll(): void {
  for (const temp of inFlight) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone (never created, or renamed into place).
    }
  }
  inFlight.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  // Where nobody else handles the signal, die of it as the process would have without our listener.
  if (process.listenerCount(signal) === 1) {
    stopListening();
    process.kill(process.pid, signal);
  }
}

function stopListening(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', removeAll);
}

function removeOnExit(temp: string): void {
  if (inFlight.size === 0) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('exit', removeAll);
  }
  inFlight.add(temp);
}

function keepOnExit(temp: string): void {
  inFlight.delete(temp);
  if (inFlight.size === 0) stopListening();
}
