// The counter-based hash of ops/random.ts in WGSL, for the tfjs programs and the epoch shaders alike: the same bits
// on every backend, so one copy of the constants.

/** `gcnHash(seed, index)`: the hash's top 24 bits, the integer ops/random.ts divides by 2^24. */
export const HASH_WGSL = `
  fn gcnHash(seed : u32, index : u32) -> u32 {
    var x = (index * 0x9e3779b1u) ^ seed;
    x = x ^ (x >> 16u);
    x = x * 0x7feb352du;
    x = x ^ (x >> 15u);
    x = x * 0x846ca68bu;
    x = x ^ (x >> 16u);
    return x >> 8u;
  }`;

/** `gcnUniformAt(seed, index)`: host/random.ts's uniformAt, a float in [0, 1). */
export const UNIFORM_AT_WGSL = `${HASH_WGSL}
  fn gcnUniformAt(seed : u32, index : u32) -> f32 {
    return f32(gcnHash(seed, index)) / 16777216.0;
  }`;
