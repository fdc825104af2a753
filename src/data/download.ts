// Downloads one file into place safely: stream to a temp file under a size cap and timeouts, verify, then rename
// (never a bad file cached, no temp file left behind, even when the process is interrupted).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DownloadProgress } from './sources.js';

/** The network or server failed us (as opposed to a file that arrived and was bad). */
export class DownloadFailure extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
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
  /** Milliseconds until the response headers, then the longest pause between chunks. Default: $GCNLAB_DOWNLOAD_TIMEOUT s, else 30 s. */
  timeoutMs?: number;
}

function timeoutMs(limits: DownloadLimits): number {
  if (limits.timeoutMs !== undefined) return limits.timeoutMs;
  const seconds = Number(process.env[DOWNLOAD_TIMEOUT_ENV]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS) * 1000;
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
  const abort = new AbortController();
  let timedOut = '';
  let timer = setTimeout(() => ((timedOut = `no answer within ${wait / 1000} s`), abort.abort()), wait);
  const stall = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ((timedOut = `stalled: nothing received for ${wait / 1000} s`), abort.abort()), wait);
  };
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: abort.signal });
  } catch (error) {
    clearTimeout(timer);
    throw new DownloadFailure(url, timedOut || describeFetchError(error));
  }
  stall();
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  const out = createWriteStream(temp);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('close', resolve);
  });
  try {
    if (!response.ok || !response.body) throw new DownloadFailure(url, `HTTP ${response.status} ${response.statusText}`);
    const header = response.headers.get('content-length');
    const totalBytes = header === null ? undefined : Number(header);
    if (totalBytes !== undefined && totalBytes > limits.maxBytes) {
      throw new DownloadFailure(url, `announces ${totalBytes} bytes, more than the ${limits.maxBytes} a dataset file may be`);
    }
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        stall();
        receivedBytes += chunk.byteLength;
        if (receivedBytes > limits.maxBytes) throw new DownloadFailure(url, `sent more than the ${limits.maxBytes} bytes a dataset file may be`);
        hash.update(chunk);
        chunks.push(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        onProgress?.({ file, url, receivedBytes, totalBytes });
      }
    } catch (error) {
      if (error instanceof DownloadFailure) throw error;
      const why = timedOut || describeFetchError(error);
      throw new DownloadFailure(url, `cut short after ${receivedBytes}${totalBytes ? ` of ${totalBytes}` : ''} bytes (${why})`);
    }
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    clearTimeout(timer);
    out.end();
    await closed;
  }
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
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
