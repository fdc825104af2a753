// A large graph's hidden-layer weight gradients, summed over tiles of rows held in workgroup memory.
import { backwardBuffers } from '../../buffers.js';
import { hiddenGrad } from './hidden-grad.js';
import { inputOf } from './inputs.js';
import { MAX_X_GROUPS, type Shader, type WebGpuEpochShape } from './shape.js';

/** From this many slices (131,072 nodes) the hidden layers' weight gradients are summed tile by tile (tiledLayerGrads). */
export const TILED_GRADS_SLICES = 16;

/** Weights (and bias entries) a tiledLayerGrads workgroup sums at most: 64 accumulators a thread. */
export const TILED_GRADS_MAX = 64 * 256;

/** Threads of a tiledLayerGrads workgroup. */
const TILE_GROUP = 256;

/** Rows of a tiledLayerGrads tile: a power of 2 up to 256 whose input and output rows fit in 16 KiB. */
export function tileRowsOf(inputs: number, outputs: number): number {
  let rows = 256;
  while (rows > 1 && rows * (inputs + outputs) > 4096) rows >>= 1;
  return rows;
}

/**
 * layerGrads for a large graph (i above 0). The per-weight kernel reads a column of the input and of dLin for each
 * weight: 16 x 7 weights read every row 119 times, 4 bytes of each 32-byte sector used (26 ms of a 10^7-node epoch
 * on the H200). Here workgroup sl (of S) walks its slice of the rows in tiles: its threads load a tile of the input
 * and of dLin once, coalesced, into workgroup memory (the next tile's loads in flight while this one is summed),
 * and each thread adds the tile's terms of its weights (and bias entries); the workgroups past S compute the
 * gradient below as layerGrads does.
 */
export function tiledLayerGrads(s: WebGpuEpochShape, i: number, slices: number): Shader {
  const l = s.layers[i];
  const { dLin, dBelow } = backwardBuffers(s, i);
  const [K, O, OW] = [`K${i}`, `O${i}`, `OW${i}`];
  const src = inputOf(i);
  const below = dBelow!;
  const grads = l.inputs * l.outputs + (l.bias ? l.outputs : 0);
  const rows = tileRowsOf(l.inputs, l.outputs);
  const per = Math.ceil(grads / TILE_GROUP);
  const loads = (width: number) => Math.ceil((rows * width) / TILE_GROUP);
  const [inLoads, outLoads] = [loads(l.inputs), loads(l.outputs)];
  const q = (e: number) => `t + ${e * TILE_GROUP}u`;
  // Into registers: entry q of the tile from row `from` of the input (width K) or dLin (width O), 0 past the slice.
  const fetch = (name: string, reg: string, e: number, width: string, total: number, from: string) =>
    `{ let q = ${q(e)}; let at = (${from}) * ${width} + q; ${reg}${e} = select(0.0, ${name}[min(at, N * ${width} - 1u)], q < ${total}u && at < end * ${width}); }`;
  const fetchAll = (from: string) =>
    [
      ...Array.from({ length: inLoads }, (_, e) => fetch(src, 'inReg', e, K, rows * l.inputs, from)),
      ...Array.from({ length: outLoads }, (_, e) => fetch(dLin, 'outReg', e, O, rows * l.outputs, from)),
    ].join('\n      ');
  const keep = [
    ...Array.from({ length: inLoads }, (_, e) => `if (${q(e)} < ${rows * l.inputs}u) { tileIn[${q(e)}] = inReg${e}; }`),
    ...Array.from({ length: outLoads }, (_, e) => `if (${q(e)} < ${rows * l.outputs}u) { tileOut[${q(e)}] = outReg${e}; }`),
  ].join('\n      ');
  const weights = Array.from({ length: per }, (_, k) => k);
  return {
    name: `layer${i + 1}GradsAndHiddenGrad`,
    bindings: [[src, 'f32', 'read'], [dLin, 'f32', 'read'], ['params', 'f32', 'read'], ['gradParts', 'f32', 'read_write'], [below, 'f32', 'read_write']],
    workgroups: slices + Math.ceil((s.nodes * l.inputs) / TILE_GROUP),
    body: `
var<workgroup> tileIn : array<f32, ${rows * l.inputs}>;
var<workgroup> tileOut : array<f32, ${rows * l.outputs}>;
@compute @workgroup_size(${TILE_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g = wid.x + wid.y * ${MAX_X_GROUPS}u;
  if (g < S) {
    let per = (N + S - 1u) / S;
    let first = min(g * per, N);
    let end = min(first + per, N);
    // Weight w = t + 256 k: input column a, dLin column b (a bias entry: dLin column b alone).
    ${weights.map((k) => `let w${k} = ${q(k)}; let bias${k} = w${k} >= ${K} * ${O}; let a${k} = min(w${k} / ${O}, ${K} - 1u); let b${k} = select(w${k} % ${O}, w${k} - ${K} * ${O}, bias${k}); var acc${k} = 0.0;`).join('\n    ')}
    ${Array.from({ length: inLoads }, (_, e) => `var inReg${e} = 0.0;`).join(' ')}
    ${Array.from({ length: outLoads }, (_, e) => `var outReg${e} = 0.0;`).join(' ')}
    ${fetchAll('first')}
    for (var r0 = first; r0 < end; r0 += ${rows}u) {
      ${keep}
      workgroupBarrier();
      let count = min(${rows}u, end - r0);
      ${fetchAll(`r0 + ${rows}u`)}
      ${weights.map((k) => `if (w${k} < ${grads}u) {
        for (var r = 0u; r < count; r++) { acc${k} += select(tileIn[r * ${K} + a${k}], 1.0, bias${k}) * tileOut[r * ${O} + b${k}]; }
      }`).join('\n      ')}
      workgroupBarrier();
    }
    ${weights.map((k) => `if (w${k} < ${grads}u) { gradParts[(${OW} + w${k}) * S + g] = acc${k}; }`).join('\n    ')}
  } else {
    ${hiddenGrad(s, i, `(g - S) * ${TILE_GROUP}u + t`)}
  }
}`,
  };
}
