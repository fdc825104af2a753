// Adam's step over all parameters, the L2 term folded in, and the epoch's metrics added up.
import { parameterSlots } from '../../shape.js';
import { strided, TREE } from './loops.js';
import { ADAM_SPAN, MAX_X_GROUPS, type Shader, squareSlicesOf, type WebGpuEpochShape } from './shape.js';
import { floatLiteral as f } from './wgsl.js';

/**
 * Adam with the article's L2 term folded in (its gradient is weightDecay * p / ||p||), each gradient the sum of
 * its S partial sums, ADAM_SPAN parameters a workgroup. ||p||^2 (of the parameters before the step) is the sum
 * of the previous step's partial sums in squaresIn; each workgroup writes its share of the new one to
 * squaresOut (the runner swaps the two after each dispatch). The first workgroup also adds up the metrics:
 * train loss with the L2 term, validation loss, accuracy.
 */
export function adam(s: WebGpuEpochShape): Shader {
  return {
    name: 'adam',
    bindings: [['gradParts', 'f32', 'read'], ['squaresIn', 'f32', 'read'], ['statParts', 'f32', 'read'], ['params', 'f32', 'read_write'], ['m', 'f32', 'read_write'], ['v', 'f32', 'read_write'], ['scalars', 'f32', 'read_write'], ['squaresOut', 'f32', 'read_write'], ['epoch', 'u32', 'uniform']],
    workgroups: squareSlicesOf(parameterSlots(s.layers).count),
    swap: ['squaresIn', 'squaresOut'],
    body: `
var<workgroup> sa : array<f32, 256>;
var<workgroup> sb : array<f32, 256>;
var<workgroup> sc : array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g = wid.x + wid.y * ${MAX_X_GROUPS}u;
  var q = 0.0;
  for (var k = t; k < SQ; k += 256u) { q += squaresIn[k]; }
  sa[t] = q;
  ${TREE(256, ['sa'])}
  let squares = sa[0];
  workgroupBarrier();
  if (g == 0u) {
    var a = 0.0; var b = 0.0; var c = 0.0;
    // LG is one a row where the last A product computes the loss (2708 on Cora): several loads in flight at a time.
    ${strided('k', 't', 'LG', '256u', (k, live) => `a += select(0.0, statParts[${k}], ${live}); b += select(0.0, statParts[LG + ${k}], ${live}); c += select(0.0, statParts[2u * LG + ${k}], ${live});`)}
    sa[t] = a; sb[t] = b; sc[t] = c;
    ${TREE(256, ['sa', 'sb', 'sc'])}
    if (t == 0u) {
      scalars[4] = ${s.trainWeight > 0 ? `sa[0] / ${f(s.trainWeight)}` : '0.0'} + ${f(s.weightDecay)} * sqrt(squares);
      scalars[5] = ${s.valWeight > 0 ? `sb[0] / ${f(s.valWeight)}` : '0.0'};
      scalars[6] = ${s.valWeight > 0 ? `sc[0] / ${f(s.valWeight)}` : '0.0'};
    }
    workgroupBarrier();
  }
  let d = ${s.weightDecay === 0 ? '0.0' : `${f(s.weightDecay)} / max(sqrt(squares), 1e-12)`};
  var next = 0.0;
  for (var k = 0u; k < ${ADAM_SPAN / 256}u; k++) {
    let idx = g * ${ADAM_SPAN}u + k * 256u + t;
    if (idx < P) {
      var grad = 0.0;
      for (var sl = 0u; sl < S; sl++) { grad += gradParts[idx * S + sl]; }
      let gr = grad + d * params[idx];
      let mt = ${f(s.beta1)} * m[idx] + ${f(1 - s.beta1)} * gr;
      let vt = ${f(s.beta2)} * v[idx] + ${f(1 - s.beta2)} * gr * gr;
      m[idx] = mt;
      v[idx] = vt;
      let p = params[idx] - ${f(s.lr)} * mt * epoch.c1 / (sqrt(vt * epoch.c2) + ${f(s.epsilon)});
      params[idx] = p;
      next += p * p;
    }
  }
  sa[t] = next;
  ${TREE(256, ['sa'])}
  // The padding workgroups of a 2-D grid (g past SQ) write nothing.
  if (t == 0u && g < SQ) { squaresOut[g] = sa[0]; }
}`,
  };
}
