// A counter-based random stream, and dropout's rule over it: entry i of seed s is the same number on every backend
// (ops/webgpu/random.ts is its WGSL copy), and an entry is kept where its hash reaches dropoutThreshold(rate).

/** Random bits per uniform number: uniformAt(seed, i) is an integer of this many bits over 2^24. */
const UNIFORM_BITS = 24;
const UNIFORM_RANGE = 2 ** UNIFORM_BITS;

/** The hash of (seed, index): an integer of UNIFORM_BITS bits, what every backend's dropout mask compares. */
export function hashAt(seed: number, index: number): number {
  let x = (Math.imul(index, 0x9e3779b1) ^ seed) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> (32 - UNIFORM_BITS);
}

/**
 * Dropout's rule, its one home: entry i of a mask drawn with `seed` is kept where hashAt(seed, i) >= this (exactly
 * where uniformAt(seed, i) >= rate). Every kernel (JavaScript, SIMD, WGSL) compares integers, so none rounds at the edge.
 */
export function dropoutThreshold(rate: number): number {
  return rate === 0 ? 0 : Math.ceil(rate * UNIFORM_RANGE);
}

/** A uniform number in [0, 1) with 24 random bits, from a hash of (seed, index). */
export function uniformAt(seed: number, index: number): number {
  return hashAt(seed, index) / UNIFORM_RANGE;
}

/** Mixes several integers into one 32-bit seed (model seed, epoch, layer). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}
