// The hash JupyterLab and ipykernel name a cell's file with (MurmurHash2, x86, 32 bits, over the code's UTF-8 bytes).

const M = 0x5bd1e995;

export function murmur2(text: string, seed: number): number {
  const data = Buffer.from(text, 'utf8');
  const length = data.length;
  let h = (seed ^ length) >>> 0;
  const roundedEnd = length & ~3;
  for (let i = 0; i < roundedEnd; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest) {
    let k = 0;
    if (rest === 3) k = data[roundedEnd + 2] << 16;
    if (rest >= 2) k |= data[roundedEnd + 1] << 8;
    k |= data[roundedEnd];
    h = Math.imul(h ^ k, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h >>> 0;
}
