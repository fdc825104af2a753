// Downloads one file into place safely: stream to a temp file, verify, then rename (never a bad file cached).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
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

/**
 * Fetches `url` to `dest`. `verify` sees the bytes and their SHA-256 before the file is moved into place and
 * throws (ChecksumMismatchError, DataFormatError) to reject it; a rejected or broken download leaves nothing behind.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  file: string,
  verify: (downloaded: Downloaded) => void,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Downloaded> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    const downloaded = await fetchToFile(url, temp, file, onProgress);
    verify(downloaded);
    await rename(temp, dest);
    return downloaded;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function fetchToFile(url: string, temp: string, file: string, onProgress?: (progress: DownloadProgress) => void): Promise<Downloaded> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new DownloadFailure(url, describeFetchError(error));
  }
  if (!response.ok || !response.body) throw new DownloadFailure(url, `HTTP ${response.status} ${response.statusText}`);
  const header = response.headers.get('content-length');
  const totalBytes = header === null ? undefined : Number(header);
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  const out = createWriteStream(temp);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('close', resolve);
  });
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      chunks.push(chunk);
      receivedBytes += chunk.byteLength;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      onProgress?.({ file, url, receivedBytes, totalBytes });
    }
  } catch (error) {
    throw new DownloadFailure(url, `cut short after ${receivedBytes}${totalBytes ? ` of ${totalBytes}` : ''} bytes (${describeFetchError(error)})`);
  } finally {
    out.end();
    await closed;
  }
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
