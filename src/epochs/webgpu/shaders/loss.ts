// The masked cross-entropy, its gradient wrt the logits (dz) and the metrics, as a kernel of its own or after the last A product.
import { layerBuffer } from '../../buffers.js';
import { TREE } from './loops.js';
import { type RowEpilogue } from './segments.js';
import { lossGroupsOf, type Shader, type WebGpuEpochShape } from './shape.js';
import { floatLiteral as f } from './wgsl.js';

/**
 * Workgroup `group` (of LG, `threads` threads each) over strided rows: each row's cross-entropy, argmax hit and
 * gradient wrt the logits (dz); the workgroup's sums of [train loss, validation loss, validation hits] into
 * statParts, which Adam's first workgroup adds up.
 */
function lossStatements(s: WebGpuEpochShape, group: string, threads: number): string {
  return `var a = 0.0; var b = 0.0; var c = 0.0;
  for (var i = ${group} * ${threads}u + t; i < N; i += ${threads}u * LG) {
    ${rowLossStatements(s)}
  }
  sa[t] = a; sb[t] = b; sc[t] = c;
  ${TREE(threads, ['sa', 'sb', 'sc'])}
  if (t == 0u) { statParts[${group}] = sa[0]; statParts[LG + ${group}] = sb[0]; statParts[2u * LG + ${group}] = sc[0]; }`;
}

/** Row i's cross-entropy, validation hit and dz (its row of the gradient wrt the logits), added into a, b and c. */
function rowLossStatements(s: WebGpuEpochShape): string {
  const z = layerBuffer.prop(s.layers.length - 1);
  return `let node = targets[i];
    let tw = f32((node >> 30u) & 1u);
    let vw = f32(node >> 31u);
    let row = i * C;
    if (tw == 0.0 && vw == 0.0) {
      for (var j = 0u; j < C; j++) { dz[row + j] = 0.0; }
    } else {
      var best = 0u;
      for (var j = 1u; j < C; j++) { if (${z}[row + j] > ${z}[row + best]) { best = j; } }
      let m = ${z}[row + best];
      var sum = 0.0;
      for (var j = 0u; j < C; j++) { sum += exp(${z}[row + j] - m); }
      let label = node & LABEL_BITS;
      let ce = log(sum) + m - ${z}[row + label];
      a += tw * ce;
      b += vw * ce;
      c += select(0.0, vw, best == label);
      let g = tw / ${f(s.trainWeight)};
      for (var j = 0u; j < C; j++) { dz[row + j] = g * (exp(${z}[row + j] - m) / sum - select(0.0, 1.0, j == label)); }
    }`;
}

/** The loss of row i by the workgroup of the last A product that stored it (lossFused): its metrics in statParts[i] (LG is N). */
export const lossEpilogue = (s: WebGpuEpochShape): RowEpilogue => ({
  code: (lane) => `if (${lane} == 0u) {
    var a = 0.0; var b = 0.0; var c = 0.0;
    ${rowLossStatements(s)}
    statParts[i] = a; statParts[LG + i] = b; statParts[2u * LG + i] = c;
  }`,
  bindings: [['targets', 'u32', 'read'], ['dz', 'f32', 'read_write'], ['statParts', 'f32', 'read_write']],
});

/** The loss kernel: 256 threads a workgroup, LG workgroups over strided rows (lossStatements), writing dz. */
export function lossGrad(s: WebGpuEpochShape): Shader {
  return {
    name: 'lossGrad',
    bindings: [[layerBuffer.prop(s.layers.length - 1), 'f32', 'read'], ['targets', 'u32', 'read'], ['dz', 'f32', 'read_write'], ['statParts', 'f32', 'read_write']],
    workgroups: lossGroupsOf(s.nodes),
    body: `
${['sa', 'sb', 'sc'].map((a) => `var<workgroup> ${a} : array<f32, 256>;`).join('\n')}
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  ${lossStatements(s, 'wid.x', 256)}
}`,
  };
}
