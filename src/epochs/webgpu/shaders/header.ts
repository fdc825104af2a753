// The WGSL every kernel of an epoch shares (its constants, the epoch's uniform, the hash), and one kernel's whole module.
import { classesOf, parameterSlots } from '../../shape.js';
import { dropoutThreshold, HASH_WGSL } from '../../../ops/index.js';
import { lossPartsOf } from './fusion.js';
import { FLAT_GROUP, MAX_X_GROUPS, quadsOf, seedVectors, type Shader, slicesOf, squareSlicesOf, type WebGpuEpochShape } from './shape.js';
import { floatLiteral as f } from './wgsl.js';

/** N, C (classes), P (parameters); layer i's widths K<i> (inputs), O<i> (outputs) and offsets OW<i>, OB<i>. */
export function header(s: WebGpuEpochShape): string {
  const { slots, count } = parameterSlots(s.layers);
  const layers = s.layers
    .map((l, i) => {
      const bias = slots[i].bias === null ? '' : `\nconst OB${i} : u32 = ${slots[i].bias}u;`;
      return `const K${i} : u32 = ${l.inputs}u;\nconst O${i} : u32 = ${l.outputs}u;\nconst OW${i} : u32 = ${slots[i].weight}u;${bias}`;
    })
    .join('\n');
  return `
const N : u32 = ${s.nodes}u;
// The vec4s of a dense A's and X^T's rows (NQ) and of a dense X's (KQ0), padded with zeros (see quadsOf).
const NQ : u32 = ${quadsOf(s.nodes)}u;
const KQ0 : u32 = ${quadsOf(s.layers[0].inputs)}u;
const C : u32 = ${classesOf(s)}u;
${layers}
const P : u32 = ${count}u;
const S : u32 = ${slicesOf(s.nodes)}u;
const SQ : u32 = ${squareSlicesOf(count)}u;
const LG : u32 = ${lossPartsOf(s)}u;
const SCALE : f32 = ${f(1 / (1 - s.dropout))};
const KEEP_FROM : u32 = ${dropoutThreshold(s.dropout)}u;
// targets[i]: node i's label in its low 30 bits, bit 30 set where it is a train row, bit 31 a validation row.
const LABEL_BITS : u32 = 0x3fffffffu;
struct Epoch { c1 : f32, c2 : f32, pad0 : u32, pad1 : u32, seeds : array<vec4<u32>, ${seedVectors(s)}> }
fn flatIndex(gid : vec3<u32>) -> u32 { return gid.x + gid.y * ${MAX_X_GROUPS * FLAT_GROUP}u; }
${HASH_WGSL}
// Compared as an integer: exact, with no float rounding at the threshold.
fn kept(seed : u32, index : u32) -> bool { return gcnHash(seed, index) >= KEEP_FROM; }
`;
}

/** One kernel's whole WGSL module: the shared header, its bindings declared in order, its body. */
export function moduleCode(header: string, shader: Shader): string {
  const declarations = shader.bindings
    .map(([name, type, access], i) =>
      access === 'uniform'
        ? `@group(0) @binding(${i}) var<uniform> ${name} : Epoch;`
        : `@group(0) @binding(${i}) var<storage, ${access}> ${name} : array<${type}>;`,
    )
    .join('\n');
  return `${header}\n${declarations}\n${shader.body}`;
}
