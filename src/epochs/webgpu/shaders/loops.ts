// WGSL statements written out: lists unrolled, strided loops several iterations at a time, flat kernels, tree sums and dropout masks.
import { FLAT_GROUP } from './shape.js';

/** Statements for j = 0 .. w-1, written out: arrays indexed by constants stay in registers, not local memory. */
export const unrolled = (w: number, statement: (j: number) => string) => Array.from({ length: w }, (_, j) => statement(j)).join('\n    ');

/** Iterations of a strided loop written out together, so that their loads are in flight at once. */
export const LOOP_UNROLL = 4;

/**
 * for (v = first; v < end; v += step) body, LOOP_UNROLL iterations at a time: each sees its index (clamped to
 * end - 1, so every load is in bounds and none waits on a branch) and `live`, false past the end, where the body
 * must add nothing. A thread's loads otherwise go one round trip at a time: a small graph's loops are latency-bound.
 */
export function strided(v: string, first: string, end: string, step: string, body: (index: string, live: string) => string, unroll = LOOP_UNROLL): string {
  const blocks = Array.from({ length: unroll }, (_, k) =>
    k === 0
      ? `{\n      let ${v}0 = ${v};\n      let live0 = true;\n      ${body(`${v}0`, 'live0')}\n    }`
      : `{\n      let ${v}${k} = min(${v} + ${k}u * (${step}), (${end}) - 1u);\n      let live${k} = ${v} + ${k}u * (${step}) < (${end});\n      ${body(`${v}${k}`, `live${k}`)}\n    }`,
  );
  return `for (var ${v} = ${first}; ${v} < (${end}); ${v} += ${unroll}u * (${step})) {\n    ${blocks.join('\n    ')}\n    }`;
}

/** A kernel of FLAT_GROUP threads a workgroup, one per output idx (flatIndex: the grid may be 2-D) below `limit`. */
export const FLAT = (limit: string, body: string) => `
@compute @workgroup_size(${FLAT_GROUP}) fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let idx = flatIndex(gid);
  if (idx >= ${limit}) { return; }
  ${body}
}`;

/** The tree sum of `acc` (a workgroup array of `size`) into acc[0]; call from uniform control flow. */
export const TREE = (size: number, arrays: string[]) => `workgroupBarrier();
  for (var k = ${size / 2}u; k > 0u; k = k >> 1u) {
    if (t < k) { ${arrays.map((a) => `${a}[t] += ${a}[t + k];`).join(' ')} }
    workgroupBarrier();
  }`;

/** Hidden layer l's dropout seed in the epoch's uniform. */
export const seedOf = (l: number) => `epoch.seeds[${l >> 2}u].${'xyzw'[l & 3]}`;

/** Layer l's hidden entry idx: relu of acc, dropped out (else scaled by SCALE) by layer l's seed. */
export const reluDropoutStore = (out: string, l: number) => `${out}[idx] = select(0.0, acc * SCALE, acc > 0.0 && kept(${seedOf(l)}, idx));`;

/** The dropout mask (seed `seed`) of four hidden entries from 4 idx, as a vec4 of keeps. */
export const kept4 = (seed: string) => `let e = idx * 4u;
  let keep = vec4<bool>(kept(${seed}, e), kept(${seed}, e + 1u), kept(${seed}, e + 2u), kept(${seed}, e + 3u));`;
