// Reads the regular files out of a .tar.gz held in memory (LINQS ships its datasets as small tarballs).
import { gunzipSync } from 'node:zlib';
import { DataFormatError } from '../errors.js';

const BLOCK = 512;

/**
 * The most an archive may inflate to: CiteSeer's LINQS tarball, the largest, holds about 30 MB of text. A zip
 * bomb stops there instead of filling memory.
 */
export const MAX_INFLATED_BYTES = 128 * 2 ** 20;

/** Path -> contents of every regular file; handles ustar prefixes, GNU long names and pax `path` records. */
export function readTarGz(bytes: Uint8Array, file: string, maxInflatedBytes = MAX_INFLATED_BYTES): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataFormatError(file, `it inflates to more than ${maxInflatedBytes} bytes, far more than a dataset archive holds`);
    }
    throw new DataFormatError(file, `not a gzip archive (${(error as Error).message})`);
  }
  const files = new Map<string, Uint8Array>();
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const sizeField = text(header, 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeField)) throw new DataFormatError(file, `tar header at byte ${at} has no valid size`);
    const size = parseInt(sizeField, 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length < size) throw new DataFormatError(file, `archive ends inside '${text(header, 0, 100)}' (truncated)`);
    const prefix = text(header, 257, 6).startsWith('ustar') ? text(header, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === 'L') longName = text(body, 0, size);
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if (type === '0' || type === '7') files.set(name, body);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
}
