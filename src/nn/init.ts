// Seeded Glorot-uniform initialisation, computed on the host so every device starts from the same numbers.
import { mixSeed, uniformAt } from '../ops/index.js';

/** fanIn x fanOut weights uniform in +-sqrt(6 / (fanIn + fanOut)), row-major, from `seed`. */
export function glorotUniform(fanIn: number, fanOut: number, seed: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const s = mixSeed(seed);
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * uniformAt(s, i) - 1) * limit;
  return out;
}
