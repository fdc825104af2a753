// The layers' weight and bias gradients as partial sums over slices of the rows, for Adam to add up.
import { backwardBuffers, gradientOf } from '../../buffers.js';
import { hiddenGrad } from './hidden-grad.js';
import { transposedFeatureBindings, transposedFeatureColumn, inputOf } from './inputs.js';
import { LOOP_UNROLL, strided, TREE, unrolled } from './loops.js';
import { blockColumn, type Columns, columnsOf, csrScan, LANES_MAX_ROW, partShared, quadScan, ROW_GROUP, rowsProgram, rowsStatements } from './rows.js';
import { type Segment, segmentsProgram } from './segments.js';
import { FLAT_GROUP, MAX_X_GROUPS, type Shader, slicesOf, type WebGpuEpochShape } from './shape.js';
import { TILED_GRADS_MAX, TILED_GRADS_SLICES, tiledLayerGrads, tileRowsOf } from './tiled-grads.js';
import { bufferSource } from './wgsl.js';

/**
 * The hidden layers' weight gradients unrolled only up to this many slices (16384 nodes): on the H200 unrolled they
 * took 11 µs where they took 20 on Cora, but 1.86 ms where they took 0.85 at 10^6 nodes, and 25.9 ms where 20.1 at
 * 10^7 (gpu-scaling-2026-12-02-h200-unrolled.json against gpu-scaling-2026-12-02-h200-sampler.json): past the L2
 * cache, more loads in flight over rows 64 S apart only add to the traffic.
 */
export const LAYER_GRADS_UNROLL_SLICES = 2;

/**
 * Workgroup `g` (below the layer's weights and bias entries times S) of layer i's weight gradients (i above 0): the
 * partial sum over slice g % S of the rows of dW[w / O, w % O] = sum_r in[r, w / O] dLin[r, w % O] and (w past K O,
 * with bias) db, the column sums of dLin (b follows W in the parameters), into gradParts.
 */
function weightSumStatements(s: WebGpuEpochShape, i: number, slices: number, g: string, sums = 'acc'): string {
  const l = s.layers[i];
  const { dLin } = backwardBuffers(s, i);
  const [K, O, OW] = [`K${i}`, `O${i}`, `OW${i}`];
  const src = inputOf(i);
  const term = (r: string) => (l.bias ? `select(${dLin}[${r} * ${O} + (w - ${K} * ${O})], ${src}[${r} * ${K} + w / ${O}] * ${dLin}[${r} * ${O} + w % ${O}], w < ${K} * ${O})` : `${src}[${r} * ${K} + w / ${O}] * ${dLin}[${r} * ${O} + w % ${O}]`);
  return `let w = ${g} / S;
    let sl = ${g} % S;
    var v = 0.0;
    ${strided('r', 't + 64u * sl', 'N', '64u * S', (r, live) => `v += select(0.0, ${term(r)}, ${live});`, slices <= LAYER_GRADS_UNROLL_SLICES ? LOOP_UNROLL : 1)}
    ${sums}[t] = v;
    ${TREE(64, [sums])}
    if (t == 0u) { gradParts[(${OW} + w) * S + sl] = ${sums}[0]; }`;
}

/** Layer i's weight sums (i above 0; weightSumStatements) as a segment of grads x S workgroups beside the first layer's A^T product. */
export function weightSumsSegment(s: WebGpuEpochShape, i: number, slices: number): Segment {
  const l = s.layers[i];
  return {
    groups: (l.inputs * l.outputs + (l.bias ? l.outputs : 0)) * slices,
    code: (g) => `let g = ${g};
    ${weightSumStatements(s, i, slices, 'g', 'part')}`,
    bindings: [[inputOf(i), 'f32', 'read'], [backwardBuffers(s, i).dLin, 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
    // The workgroup array of the A^T product beside it (64 floats at least), so the two fit the 16 KiB every device has.
    shared: [partShared(columnsOf(s.layers[0].outputs))],
  };
}

/**
 * Layer i's weight and bias gradients as S partial sums each, in gradParts[(parameter) S + slice]; above the first
 * layer, in the same dispatch (one barrier fewer), the gradient wrt the A product below through its relu and dropout.
 * A binding the shader does not read would not be in its layout: each kernel binds only what it reads. `folded`
 * (foldedLayers): with propagated features, those layers' weight sums beside the first layer's, in its dispatch.
 */
export function layerGrads(s: WebGpuEpochShape, i: number, slices: number, folded: number[] = []): Shader {
  const l = s.layers[i];
  const { dBelow } = backwardBuffers(s, i);
  // A propagated first layer's output is its product: the gradient wrt it is the gradient wrt its lin.
  const dLin = i === 0 && s.propagatedFeatures ? gradientOf(s, 0) : backwardBuffers(s, i).dLin;
  const [K, O, OW] = [`K${i}`, `O${i}`, `OW${i}`];
  const beside = i === 0 && s.propagatedFeatures ? folded : [];
  if (beside.length && l.bias) throw new Error(`gcnlab: layer ${i + 1}'s weight gradient takes no segment beside it`);
  if (i === 0) {
    // Workgroups below K0 S: a slice of row i of X^T (CSR, or dense with its zeros skipped) against dLin
    // (dW = X^T dLin); the last S (with bias): a slice of dLin's column sums (db). Each writes its partial row of O0
    // into gradParts.
    const c = columnsOf(l.outputs);
    const columnSums = strided('r', `t + ${ROW_GROUP}u * sl`, 'N', `${ROW_GROUP}u * S`, (r, live) => unrolled(c.width, (j) => `sums[${j}] += select(0.0, ${dLin}[${r} * O0${c.plus} + ${j}u], ${live});`));
    const packed = transposedFeatureColumn(s);
    const product =
      s.features === 'sparse'
        ? csrScan('xt', bufferSource(dLin, 'O0'), blockColumn(c), c.width, `t + ${ROW_GROUP}u * sl`, `${ROW_GROUP}u * S`, packed)
        : quadScan((q) => `xT[i * NQ + ${q}]`, `t + ${ROW_GROUP}u * sl`, 'NQ', `${ROW_GROUP}u * S`, c.width, (r, a) => unrolled(c.width, (j) => `sums[${j}] += ${a} * ${dLin}[${r} * O0${c.plus} + ${j}u];`));
    const xt = transposedFeatureBindings(s);
    const long = s.longRows?.xt;
    if (s.features === 'sparse' && long !== undefined && !packed) return firstLayerGradsByLanes(s, long, c, columnSums, product);
    const weightRows = 'let i = g / S; let sl = g % S; let live = g < K0 * S;';
    const weightStore = `gradParts[(OW0 + i * O0${c.plus} + t) * S + sl] = acc;`;
    if (beside.length) {
      // Dense X without a bias (propagated features), as the first segment of the dispatch.
      const rows: Segment = {
        groups: l.inputs * slices * c.blocks,
        code: (g) => rowsStatements(c, g, weightRows, product, weightStore),
        bindings: [...xt, [dLin, 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
        shared: [partShared(c)],
      };
      const sums = beside.map((j) => weightSumsSegment(s, j, slices));
      return segmentsProgram(`w1GradsAndLayer${beside.map((j) => j + 1).join('And')}Grads`, [rows, ...sums]);
    }
    return {
      name: l.bias ? 'w1AndB1Grads' : 'w1Grads',
      bindings: [...xt, [dLin, 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
      workgroups: (l.inputs * slices + (l.bias ? slices : 0)) * c.blocks,
      body: l.bias
        ? rowsProgram(
            c,
            'let bias = g >= K0 * S; let i = select(g / S, 0u, bias); let sl = select(g % S, g - K0 * S, bias); let live = g < K0 * S + S;',
            `if (bias) {\n      ${columnSums}\n    } else {\n      ${product}\n    }`,
            `gradParts[select(OW0 + i * O0${c.plus} + t, OB0${c.plus} + t, bias) * S + sl] = acc;`,
          )
        : rowsProgram(c, weightRows, product, weightStore),
    };
  }
  const tiled = l.inputs * l.outputs + l.outputs <= TILED_GRADS_MAX && tileRowsOf(l.inputs, l.outputs) * (l.inputs + l.outputs) <= 4096;
  if (slices >= TILED_GRADS_SLICES && tiled) return tiledLayerGrads(s, i, slices);
  // Above the first layer (its input a hidden layer's output, a few columns wide). Workgroups below grads S: the
  // weight gradients' partial sums (weightSumStatements); the rest: the gradient below = dLin W^T through the relu
  // and dropout of the input, one thread per entry.
  const grads = l.inputs * l.outputs + (l.bias ? l.outputs : 0);
  return {
    name: `layer${i + 1}GradsAndHiddenGrad`,
    bindings: [[inputOf(i), 'f32', 'read'], [dLin, 'f32', 'read'], ['params', 'f32', 'read'], ['gradParts', 'f32', 'read_write'], [dBelow!, 'f32', 'read_write']],
    workgroups: grads * slices + Math.ceil((s.nodes * l.inputs) / FLAT_GROUP),
    body: `
var<workgroup> acc : array<f32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g = wid.x + wid.y * ${MAX_X_GROUPS}u;
  if (g < ${grads}u * S) {
    ${weightSumStatements(s, i, slices, 'g')}
  } else {
    ${hiddenGrad(s, i, `(g - ${grads}u * S) * 64u + t`)}
  }
}`,
  };
}

/**
 * The first layer's weight (and bias) gradients with sparse X, as the sparse A products: X^T's rows up to
 * LANES_MAX_ROW entries one thread per output entry (its sum in slice 0, the other slices 0), the `long` longer ones
 * (listed in xtPtr after its row pointers) and the bias a workgroup per slice each. A workgroup for each of Cora's 1433 rows (median 15
 * entries) left most of its 64 threads idle and spent its time in the sum across them.
 */
function firstLayerGradsByLanes(s: WebGpuEpochShape, long: number, c: Columns, columnSums: string, product: string): Shader {
  const l = s.layers[0];
  const { dLin } = backwardBuffers(s, 0);
  const laneGroups = Math.ceil((l.inputs * l.outputs) / ROW_GROUP);
  const lanes = strided('p', 'xtPtr[i]', 'end', '1u', (p, live) => `acc += select(0.0, xtVal[${p}] * ${dLin}[xtCol[${p}] * O0 + j], ${live});`);
  const rows = `${long}u * S`;
  const locate = l.bias
    ? `let bias = g >= ${rows}; let i = xtPtr[K0 + 1u + min(g / S, ${Math.max(long, 1) - 1}u)]; let sl = select(g % S, g - ${rows}, bias); let live = g < ${rows} + S;`
    : `let i = xtPtr[K0 + 1u + min(g / S, ${Math.max(long, 1) - 1}u)]; let sl = g % S; let live = g < ${rows};`;
  const scan = l.bias ? `if (bias) {\n      ${columnSums}\n    } else {\n      ${product}\n    }` : product;
  const store = l.bias ? `gradParts[select(OW0 + i * O0${c.plus} + t, OB0${c.plus} + t, bias) * S + sl] = acc;` : `gradParts[(OW0 + i * O0${c.plus} + t) * S + sl] = acc;`;
  return {
    name: l.bias ? 'w1AndB1Grads' : 'w1Grads',
    bindings: [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read'], [dLin, 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
    workgroups: laneGroups + (long + (l.bias ? 1 : 0)) * slicesOf(s.nodes) * c.blocks,
    body: `
${partShared(c)}
@compute @workgroup_size(${ROW_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g0 = wid.x + wid.y * ${MAX_X_GROUPS}u;
  if (g0 < ${laneGroups}u) {
    let idx = g0 * ${ROW_GROUP}u + t;
    if (idx < K0 * O0) {
      let i = idx / O0;
      let j = idx % O0;
      let end = xtPtr[i + 1u];
      if (end - xtPtr[i] <= ${LANES_MAX_ROW}u) {
        var acc = 0.0;
        ${lanes}
        for (var sl = 0u; sl < S; sl++) { gradParts[(OW0 + idx) * S + sl] = select(0.0, acc, sl == 0u); }
      }
    }
  } else {
    ${rowsStatements(c, `g0 - ${laneGroups}u`, locate, scan, store)}
  }
}`,
  };
}
