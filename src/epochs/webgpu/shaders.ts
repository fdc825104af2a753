// The WGSL of one whole training epoch of the 2-layer GCN: forward, masked cross-entropy and metrics, backward,
// the L2 term and Adam, as 12 compute shaders over flat buffers (all parameters in one buffer, W1 b1 W2 b2).
// Sums over all nodes (the gradients of b1, W2, b2, W1 and the metrics) are split into SLICES partial sums, each
// a workgroup's, that Adam adds up: one workgroup per output would leave most of a large GPU idle.
import { HASH_WGSL } from '../../ops/index.js';
import type { HostEpochShape } from '../host/index.js';

/** The host epochs' shape, and what the shaders bake in besides. */
export interface EpochShape extends HostEpochShape {
  /** 'sparse': CSR adjacency (and its transpose); 'dense': a nodes x nodes matrix. */
  adjacency: 'sparse' | 'dense';
  /**
   * The most entries in one row of A and of A^T, where known: rows past LANES_MAX_ROW entries go through
   * workgroup-per-row kernels, since one thread walking Cora's busiest node (169 neighbours) serialises its loads.
   */
  longestRow?: { a: number; aT: number };
  /** How many rows the train and validation masks select (their sums). */
  trainWeight: number;
  valWeight: number;
}

/** A buffer a shader binds: its name in the runner, WGSL element type and access. */
export type Binding = [name: string, type: 'f32' | 'u32' | 'i32' | 'vec4<f32>', access: 'read' | 'read_write' | 'uniform'];

/** Statements for j = 0 .. w-1, written out: arrays indexed by constants stay in registers, not local memory. */
const unrolled = (w: number, statement: (j: number) => string) => Array.from({ length: w }, (_, j) => statement(j)).join('\n    ');

export interface Shader {
  name: string;
  bindings: Binding[];
  /** Threads (one per output) for the flat kernels; workgroups for the reductions. */
  threads?: number;
  workgroups?: number;
  body: string;
}

/** Workgroups of flat kernels: at most this many along x, the rest along y (the WebGPU limit is 65535). */
export const MAX_X_GROUPS = 32768;
export const FLAT_GROUP = 64;

/** Partial sums per sum over all nodes: one per 8192 nodes, at most 128 (a few loads for each Adam thread). */
export function slicesOf(nodes: number): number {
  return Math.min(128, Math.max(1, Math.ceil(nodes / 8192)));
}

/** Partial sums of the squared parameters: one workgroup per 4096 parameters, at most 32. */
export function squareSlicesOf(parameters: number): number {
  return Math.min(32, Math.max(1, Math.ceil(parameters / 4096)));
}
const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);

function header(s: EpochShape): string {
  const p1 = s.features * s.hidden;
  return `
const N : u32 = ${s.nodes}u;
const F : u32 = ${s.features}u;
const H : u32 = ${s.hidden}u;
const C : u32 = ${s.classes}u;
const OW1 : u32 = 0u;
const OB1 : u32 = ${p1}u;
const OW2 : u32 = ${p1 + s.hidden}u;
const OB2 : u32 = ${p1 + s.hidden + s.hidden * s.classes}u;
const P : u32 = ${p1 + s.hidden + s.hidden * s.classes + s.classes}u;
const S : u32 = ${slicesOf(s.nodes)}u;
const SQ : u32 = ${squareSlicesOf(p1 + s.hidden + s.hidden * s.classes + s.classes)}u;
const SCALE : f32 = ${f(1 / (1 - s.dropout))};
const KEEP_FROM : u32 = ${s.dropout === 0 ? 0 : Math.ceil(s.dropout * 2 ** 24)}u;
struct Epoch { seed : u32, c1 : f32, c2 : f32, pad : u32 }
fn flatIndex(gid : vec3<u32>) -> u32 { return gid.x + gid.y * ${MAX_X_GROUPS * FLAT_GROUP}u; }
${HASH_WGSL}
// Compared as an integer: exact, with no float rounding at the threshold.
fn kept(seed : u32, index : u32) -> bool { return gcnHash(seed, index) >= KEEP_FROM; }
`;
}

function adjacencyBindings(s: EpochShape, m: 'a' | 'aT'): Binding[] {
  return s.adjacency === 'sparse'
    ? [[`${m}Ptr`, 'u32', 'read'], [`${m}Col`, 'u32', 'read'], [`${m}Val`, 'f32', 'read']]
    : [[m === 'a' ? 'adj' : 'adjT', 'f32', 'read']];
}

const ROW_GROUP = 64;

/**
 * Long rows (X^T's, a dense adjacency's), one workgroup per output row or slice of one: its 64 threads share the
 * row's entries (`scan` adds into sums[0..w)), then sum their partial rows. `locate` sets i (the row), sl (the slice)
 * and live from g (the workgroup); `store` sees i, sl, t (the column) and acc.
 */
function rowsKernel(w: number, locate: string, scan: string, store: string): string {
  return `
var<workgroup> part : array<f32, ${ROW_GROUP * w}>;
@compute @workgroup_size(${ROW_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g = wid.x + wid.y * ${MAX_X_GROUPS}u;
  ${locate}
  var sums : array<f32, ${w}>;
  if (live) {
    ${scan}
  }
  ${unrolled(w, (j) => `part[t * ${w}u + ${j}u] = sums[${j}];`)}
  workgroupBarrier();
  for (var k = ${ROW_GROUP / 2}u; k > 0u; k = k >> 1u) {
    if (t < k) {
    ${unrolled(w, (j) => `part[t * ${w}u + ${j}u] += part[(t + k) * ${w}u + ${j}u];`)}
    }
    workgroupBarrier();
  }
  if (live && t < ${w}u) {
    let acc = part[t];
    ${store}
  }
}`;
}

/** Entries first, first + step, ... of row i of CSR `m` against rows of src (`row(k)`: the index of src[k, 0]). */
function csrScan(m: string, src: string, row: (k: string) => string, w: number, first = 't', step = `${ROW_GROUP}u`): string {
  return `for (var p = ${m}Ptr[i] + ${first}; p < ${m}Ptr[i + 1u]; p += ${step}) {
      let a = ${m}Val[p];
      let base = ${row(`${m}Col[p]`)};
      ${unrolled(w, (j) => `sums[${j}] += a * ${src}[base + ${j}u];`)}
    }`;
}

function denseScan(matrix: string, src: string, width: string, w: number): string {
  return `for (var k = t; k < N; k += ${ROW_GROUP}u) {
      let a = ${matrix}[i * N + k];
      if (a != 0.0) {
      ${unrolled(w, (j) => `sums[${j}] += a * ${src}[k * ${width} + ${j}u];`)}
      }
    }`;
}

/** Rows up to this many entries are walked by one thread (per vec4 of columns); longer, by a workgroup. */
export const LANES_MAX_ROW = 64;

const ONE_ROW_PER_GROUP = (rows: string) => `let i = g; let sl = 0u; let live = i < ${rows};`;

/** `store` per entry (scalar, with idx the entry) and per vec4 (idx the vec4, entries 4 idx .. 4 idx + 3). */
interface Store {
  scalar: string;
  vector: string;
}

/**
 * Short rows (the sparse adjacency's and X's, tens of entries): w/4 threads per output row, each one vec4 of its
 * columns (w columns, one thread each, where w is not a multiple of 4), walking the row's entries: the threads of a
 * row read one gathered source row together, 16 bytes each. `store` sees idx (this thread's vec4 or entry), i, t, acc.
 */
function lanesKernel(rows: string, w: number, m: string, src: string, srcFirst: string, store: Store): { body: string; type: 'f32' | 'vec4<f32>'; lanes: number } {
  const vector = w % 4 === 0 ? 4 : 1;
  const lanes = w / vector;
  const type = vector === 4 ? 'vec4<f32>' : 'f32';
  return {
    type,
    lanes,
    body: FLAT(`${rows} * ${lanes}u`, `let i = idx / ${lanes}u;
  let t = idx % ${lanes}u;
  var acc = ${type}(0.0);
  for (var p = ${m}Ptr[i]; p < ${m}Ptr[i + 1u]; p++) { acc += ${m}Val[p] * ${src}[${srcFirst}${m}Col[p] * ${lanes}u + t]; }
  ${vector === 4 ? store.vector : store.scalar}`),
  };
}

/** A propagation kernel: adj @ src or adj^T @ src (`width` columns), sparse (lanes) or dense (a workgroup per row). */
function propagation(s: EpochShape, name: string, m: 'a' | 'aT', src: string, width: 'H' | 'C', out: string, store: Store): Shader {
  const w = width === 'H' ? s.hidden : s.classes;
  const uses = store.scalar.includes('epoch.');
  if (s.adjacency === 'dense') {
    const bindings: Binding[] = [...adjacencyBindings(s, m), [src, 'f32', 'read'], [out, 'f32', 'read_write']];
    if (uses) bindings.push(['epoch', 'u32', 'uniform']);
    const scan = denseScan(m === 'a' ? 'adj' : 'adjT', src, width, w);
    return { name, bindings, workgroups: s.nodes, body: rowsKernel(w, ONE_ROW_PER_GROUP('N'), scan, `let idx = i * ${width} + t;\n    ${store.scalar}`) };
  }
  if ((s.longestRow?.[m] ?? 0) > LANES_MAX_ROW) {
    const bindings: Binding[] = [...adjacencyBindings(s, m), [src, 'f32', 'read'], [out, 'f32', 'read_write']];
    if (uses) bindings.push(['epoch', 'u32', 'uniform']);
    const scan = csrScan(m, src, (k) => `${k} * ${width}`, w);
    return { name, bindings, workgroups: s.nodes, body: rowsKernel(w, ONE_ROW_PER_GROUP('N'), scan, `let idx = i * ${width} + t;\n    ${store.scalar}`) };
  }
  const k = lanesKernel('N', w, m, src, '', store);
  const bindings: Binding[] = [...adjacencyBindings(s, m), [src, k.type, 'read'], [out, k.type, 'read_write']];
  if (uses) bindings.push(['epoch', 'u32', 'uniform']);
  return { name, bindings, threads: s.nodes * k.lanes, body: k.body };
}

const FLAT = (limit: string, body: string) => `
@compute @workgroup_size(${FLAT_GROUP}) fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let idx = flatIndex(gid);
  if (idx >= ${limit}) { return; }
  ${body}
}`;

/** The tree sum of `acc` (a workgroup array of `size`) into acc[0]; call from uniform control flow. */
const TREE = (size: number, arrays: string[]) => `workgroupBarrier();
  for (var k = ${size / 2}u; k > 0u; k = k >> 1u) {
    if (t < k) { ${arrays.map((a) => `${a}[t] += ${a}[t + k];`).join(' ')} }
    workgroupBarrier();
  }`;

/** The dropout mask of four hidden entries from 4 idx, as a vec4 of keeps. */
const KEPT4 = `let e = idx * 4u;
  let keep = vec4<bool>(kept(epoch.seed, e), kept(epoch.seed, e + 1u), kept(epoch.seed, e + 2u), kept(epoch.seed, e + 3u));`;

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

export function epochShaders(s: EpochShape): { header: string; shaders: Shader[] } {
  const { nodes: n, features: nf, hidden: h, classes: c } = s;
  const parameters = nf * h + h + h * c + c;
  const slices = slicesOf(n);
  const bias = 'xw[idx] = acc + params[OB1 / VH + t];';
  const x = lanesKernel('N', h, 'x', 'params', 'OW1 / VH + ', { scalar: bias, vector: bias });
  const vh = h / x.lanes;
  const shaders: Shader[] = [
    {
      // Partial sums of the squared parameters (before this epoch's step), for the L2 term and its gradient.
      name: 'sumSquares',
      bindings: [['params', 'f32', 'read'], ['sqParts', 'f32', 'read_write']],
      workgroups: squareSlicesOf(parameters),
      body: `
var<workgroup> acc : array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  var v = 0.0;
  for (var r = t + 256u * wid.x; r < P; r += 256u * SQ) { v += params[r] * params[r]; }
  acc[t] = v;
  ${TREE(256, ['acc'])}
  if (t == 0u) { sqParts[wid.x] = acc[0]; }
}`,
    },
    {
      name: 'featuresTimesW1',
      bindings: [['xPtr', 'u32', 'read'], ['xCol', 'u32', 'read'], ['xVal', 'f32', 'read'], ['params', x.type, 'read'], ['xw', x.type, 'read_write']],
      threads: n * x.lanes,
      body: `const VH : u32 = ${vh}u;\n${x.body}`,
    },
    propagation(s, 'propagate1ReluDropout', 'a', 'xw', 'H', 'hd', {
      scalar: 'hd[idx] = select(0.0, acc * SCALE, acc > 0.0 && kept(epoch.seed, idx));',
      vector: `${KEPT4}\n  hd[idx] = select(vec4<f32>(0.0), acc * SCALE, (acc > vec4<f32>(0.0)) & keep);`,
    }),
    {
      name: 'hiddenTimesW2',
      bindings: [['hd', 'f32', 'read'], ['params', 'f32', 'read'], ['hw', 'f32', 'read_write']],
      threads: n * c,
      body: FLAT('N * C', `let i = idx / C; let j = idx % C;
  var acc = params[OB2 + j];
  for (var k = 0u; k < H; k++) { acc += hd[i * H + k] * params[OW2 + k * C + j]; }
  hw[idx] = acc;`),
    },
    propagation(s, 'propagate2', 'a', 'hw', 'C', 'z', { scalar: 'z[idx] = acc;', vector: 'z[idx] = acc;' }),
    {
      // One thread per row: its cross-entropy, argmax hit and (train rows) gradient; the sums come next.
      name: 'lossGrad',
      bindings: [['z', 'f32', 'read'], ['labels', 'i32', 'read'], ['trainMask', 'f32', 'read'], ['valMask', 'f32', 'read'], ['dz', 'f32', 'read_write'], ['rowStats', 'f32', 'read_write']],
      threads: n,
      body: FLAT('N', `let i = idx;
  let tw = trainMask[i];
  let vw = valMask[i];
  let row = i * C;
  if (tw == 0.0 && vw == 0.0) {
    for (var j = 0u; j < C; j++) { dz[row + j] = 0.0; }
    rowStats[3u * i] = 0.0; rowStats[3u * i + 1u] = 0.0; rowStats[3u * i + 2u] = 0.0;
    return;
  }
  var best = 0u;
  for (var j = 1u; j < C; j++) { if (z[row + j] > z[row + best]) { best = j; } }
  let m = z[row + best];
  var sum = 0.0;
  for (var j = 0u; j < C; j++) { sum += exp(z[row + j] - m); }
  let label = u32(labels[i]);
  let ce = log(sum) + m - z[row + label];
  rowStats[3u * i] = tw * ce;
  rowStats[3u * i + 1u] = vw * ce;
  rowStats[3u * i + 2u] = select(0.0, vw, best == label);
  let g = tw / ${f(s.trainWeight)};
  for (var j = 0u; j < C; j++) { dz[row + j] = g * (exp(z[row + j] - m) / sum - select(0.0, 1.0, j == label)); }`),
    },
    {
      // S workgroups, each a slice of the rows: partial [train loss, validation loss, validation hits]; Adam's
      // first thread adds them up.
      name: 'metrics',
      bindings: [['rowStats', 'f32', 'read'], ['statParts', 'f32', 'read_write']],
      workgroups: slices,
      body: `
var<workgroup> sa : array<f32, 256>;
var<workgroup> sb : array<f32, 256>;
var<workgroup> sc : array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  var a = 0.0; var b = 0.0; var c = 0.0;
  for (var i = t + 256u * wid.x; i < N; i += 256u * S) { a += rowStats[3u * i]; b += rowStats[3u * i + 1u]; c += rowStats[3u * i + 2u]; }
  sa[t] = a; sb[t] = b; sc[t] = c;
  ${TREE(256, ['sa', 'sb', 'sc'])}
  if (t == 0u) { statParts[wid.x] = sa[0]; statParts[S + wid.x] = sb[0]; statParts[2u * S + wid.x] = sc[0]; }
}`,
    },
    propagation(s, 'propagate2Grad', 'aT', 'dz', 'C', 'dhw', { scalar: 'dhw[idx] = acc;', vector: 'dhw[idx] = acc;' }),
    {
      // Two independent jobs in one dispatch (one barrier fewer). Workgroups below (H C + C) S: partial sums over a
      // slice of the rows of dW2[w / C, w % C] = sum_r hd[r, w / C] dhw[r, w % C] and db2 (column sums of dhw);
      // the rest: dh = dhw W2^T through relu and dropout, one thread per entry.
      name: 'layer2GradsAndHiddenGrad',
      bindings: [['hd', 'f32', 'read'], ['dhw', 'f32', 'read'], ['params', 'f32', 'read'], ['gradParts', 'f32', 'read_write'], ['dh', 'f32', 'read_write']],
      workgroups: (h * c + c) * slices + Math.ceil((n * h) / FLAT_GROUP),
      body: `
var<workgroup> acc : array<f32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g = wid.x + wid.y * ${MAX_X_GROUPS}u;
  if (g < (H * C + C) * S) {
    let w = g / S;
    let sl = g % S;
    var v = 0.0;
    for (var r = t + 64u * sl; r < N; r += 64u * S) {
      v += select(dhw[r * C + (w - H * C)], hd[r * H + w / C] * dhw[r * C + w % C], w < H * C);
    }
    acc[t] = v;
    ${TREE(64, ['acc'])}
    if (t == 0u) { gradParts[(OW2 + w) * S + sl] = acc[0]; }
  } else {
    let idx = (g - (H * C + C) * S) * 64u + t;
    if (idx < N * H) {
      let i = idx / H; let j = idx % H;
      var a = 0.0;
      for (var k = 0u; k < C; k++) { a += dhw[i * C + k] * params[OW2 + j * C + k]; }
      dh[idx] = select(0.0, a * SCALE, hd[idx] > 0.0);
    }
  }
}`,
    },
    propagation(s, 'propagate1Grad', 'aT', 'dh', 'H', 'dxw', { scalar: 'dxw[idx] = acc;', vector: 'dxw[idx] = acc;' }),
    {
      // Workgroups below F S: a slice of row i of X^T against dxw (dW1 = X^T dxw); the last S: a slice of dxw's
      // column sums (db1). Each writes its partial row of H into gradParts.
      name: 'w1AndB1Grads',
      bindings: [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read'], ['dxw', 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
      workgroups: nf * slices + slices,
      body: rowsKernel(
        h,
        'let bias = g >= F * S; let i = select(g / S, 0u, bias); let sl = select(g % S, g - F * S, bias); let live = g < F * S + S;',
        `if (bias) {
      for (var r = t + ${ROW_GROUP}u * sl; r < N; r += ${ROW_GROUP}u * S) {
      ${unrolled(h, (j) => `sums[${j}] += dxw[r * H + ${j}u];`)}
      }
    } else {
      ${csrScan('xt', 'dxw', (k) => `${k} * H`, h, `t + ${ROW_GROUP}u * sl`, `${ROW_GROUP}u * S`)}
    }`,
        'gradParts[select(OW1 + i * H + t, OB1 + t, bias) * S + sl] = acc;',
      ),
    },
    {
      // Adam with the article's L2 term folded in (its gradient is weightDecay * p / ||p||), each gradient the sum of
      // its S partial sums; thread 0 also adds up the metrics: train loss with the L2 term, validation loss, accuracy.
      name: 'adam',
      bindings: [['gradParts', 'f32', 'read'], ['sqParts', 'f32', 'read'], ['statParts', 'f32', 'read'], ['params', 'f32', 'read_write'], ['moments', 'f32', 'read_write'], ['scalars', 'f32', 'read_write'], ['epoch', 'u32', 'uniform']],
      threads: parameters,
      body: FLAT('P', `var squares = 0.0;
  for (var k = 0u; k < SQ; k++) { squares += sqParts[k]; }
  if (idx == 0u) {
    var a = 0.0; var b = 0.0; var c = 0.0;
    for (var k = 0u; k < S; k++) { a += statParts[k]; b += statParts[S + k]; c += statParts[2u * S + k]; }
    scalars[4] = ${s.trainWeight > 0 ? `a / ${f(s.trainWeight)}` : '0.0'} + ${f(s.weightDecay)} * sqrt(squares);
    scalars[5] = ${s.valWeight > 0 ? `b / ${f(s.valWeight)}` : '0.0'};
    scalars[6] = ${s.valWeight > 0 ? `c / ${f(s.valWeight)}` : '0.0'};
  }
  var grad = 0.0;
  for (var k = 0u; k < S; k++) { grad += gradParts[idx * S + k]; }
  let d = ${s.weightDecay === 0 ? '0.0' : `${f(s.weightDecay)} / max(sqrt(squares), 1e-12)`};
  let g = grad + d * params[idx];
  let m = ${f(s.beta1)} * moments[idx] + ${f(1 - s.beta1)} * g;
  let v = ${f(s.beta2)} * moments[P + idx] + ${f(1 - s.beta2)} * g * g;
  moments[idx] = m;
  moments[P + idx] = v;
  params[idx] = params[idx] - ${f(s.lr)} * m * epoch.c1 / (sqrt(v * epoch.c2) + ${f(s.epsilon)});`),
    },
  ];
  return { header: header(s), shaders };
}
