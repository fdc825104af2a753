// The WGSL of one whole training epoch of the 2-layer GCN: forward, masked cross-entropy and metrics, backward,
// the L2 term and Adam, as 14 compute shaders over flat buffers (all parameters in one buffer, W1 b1 W2 b2).
import type { HostEpochShape } from '../../host/epoch.js';
import { HASH_WGSL } from '../random.js';

/** The host epochs' shape, and what the shaders bake in besides. */
export interface EpochShape extends HostEpochShape {
  /** 'sparse': CSR adjacency (and its transpose); 'dense': a nodes x nodes matrix. */
  adjacency: 'sparse' | 'dense';
  /** How many rows the train and validation masks select (their sums). */
  trainWeight: number;
  valWeight: number;
}

/** A buffer a shader binds: its name in the runner, WGSL element type and access. */
export type Binding = [name: string, type: 'f32' | 'u32' | 'i32', access: 'read' | 'read_write' | 'uniform'];

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
 * A product's rows, one workgroup per output row: its 64 threads share the row's entries (`scan`: a loop that adds
 * a * src-row k into sums[0..w)), all w output columns in registers, then sum their partial rows. One thread per
 * output entry walking the whole row serialises dependent loads: Cora's word 'rows' of X^T reach 1083 entries,
 * its busiest node 169, the dense adjacency 2708 (99.8% zeros). `store` sees idx (the entry), t (its column), acc.
 */
function rowsKernel(rows: string, w: number, width: string, scan: string, store: string): string {
  return `
var<workgroup> part : array<f32, ${ROW_GROUP * w}>;
@compute @workgroup_size(${ROW_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let i = wid.x + wid.y * ${MAX_X_GROUPS}u;
  var sums : array<f32, ${w}>;
  if (i < ${rows}) {
    ${scan}
  }
  for (var j = 0u; j < ${w}u; j++) { part[t * ${w}u + j] = sums[j]; }
  workgroupBarrier();
  for (var s = ${ROW_GROUP / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { for (var j = 0u; j < ${w}u; j++) { part[t * ${w}u + j] += part[(t + s) * ${w}u + j]; } }
    workgroupBarrier();
  }
  if (i < ${rows} && t < ${w}u) {
    let idx = i * ${width} + t;
    let acc = part[t];
    ${store}
  }
}`;
}

/** The scan of row i of CSR `m` (mPtr, mCol, mVal) against rows of src (`row(k)` is the index of src[k, 0]). */
function csrScan(m: string, src: string, row: (k: string) => string, w: number): string {
  return `for (var p = ${m}Ptr[i] + t; p < ${m}Ptr[i + 1u]; p += ${ROW_GROUP}u) {
      let a = ${m}Val[p];
      let base = ${row(`${m}Col[p]`)};
      for (var j = 0u; j < ${w}u; j++) { sums[j] += a * ${src}[base + j]; }
    }`;
}

function denseScan(matrix: string, src: string, width: string, w: number): string {
  return `for (var k = t; k < N; k += ${ROW_GROUP}u) {
      let a = ${matrix}[i * N + k];
      if (a != 0.0) { for (var j = 0u; j < ${w}u; j++) { sums[j] += a * ${src}[k * ${width} + j]; } }
    }`;
}

/** A propagation kernel: adj @ src or adj^T @ src (`width` columns), sparse or dense, row per workgroup. */
function propagation(s: EpochShape, name: string, m: 'a' | 'aT', src: string, width: 'H' | 'C', out: string, store: string): Shader {
  const w = width === 'H' ? s.hidden : s.classes;
  const bindings: Binding[] = [...adjacencyBindings(s, m), [src, 'f32', 'read'], [out, 'f32', 'read_write']];
  if (store.includes('epoch.')) bindings.push(['epoch', 'u32', 'uniform']);
  const scan = s.adjacency === 'dense' ? denseScan(m === 'a' ? 'adj' : 'adjT', src, width, w) : csrScan(m, src, (k) => `${k} * ${width}`, w);
  return { name, bindings, workgroups: s.nodes, body: rowsKernel('N', w, width, scan, store) };
}

const FLAT = (limit: string, body: string) => `
@compute @workgroup_size(${FLAT_GROUP}) fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let idx = flatIndex(gid);
  if (idx >= ${limit}) { return; }
  ${body}
}`;

/** 256 threads sum `count` values (one expression of `r`, the row) into acc[0]. */
const REDUCE = (count: string, term: string, write: string) => `
var<workgroup> acc : array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let w = wid.x;
  var s = 0.0;
  for (var r = t; r < ${count}; r += 256u) { s += ${term}; }
  acc[t] = s;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k = k >> 1u) {
    if (t < k) { acc[t] = acc[t] + acc[t + k]; }
    workgroupBarrier();
  }
  if (t == 0u) { ${write} }
}`;

export function epochShaders(s: EpochShape): { header: string; shaders: Shader[] } {
  const { nodes: n, features: nf, hidden: h, classes: c } = s;
  const shaders: Shader[] = [
    {
      name: 'sumSquares',
      bindings: [['params', 'f32', 'read'], ['scalars', 'f32', 'read_write']],
      workgroups: 1,
      body: REDUCE('P', 'params[r] * params[r]', 'scalars[0] = acc[0];'),
    },
    {
      name: 'featuresTimesW1',
      bindings: [['xPtr', 'u32', 'read'], ['xCol', 'u32', 'read'], ['xVal', 'f32', 'read'], ['params', 'f32', 'read'], ['xw', 'f32', 'read_write']],
      workgroups: n,
      body: rowsKernel('N', h, 'H', csrScan('x', 'params', (k) => `OW1 + ${k} * H`, h), 'xw[idx] = acc + params[OB1 + t];'),
    },
    propagation(s, 'propagate1ReluDropout', 'a', 'xw', 'H', 'hd', 'hd[idx] = select(0.0, acc * SCALE, acc > 0.0 && kept(epoch.seed, idx));'),
    {
      name: 'hiddenTimesW2',
      bindings: [['hd', 'f32', 'read'], ['params', 'f32', 'read'], ['hw', 'f32', 'read_write']],
      threads: n * c,
      body: FLAT('N * C', `let i = idx / C; let j = idx % C;
  var acc = params[OB2 + j];
  for (var k = 0u; k < H; k++) { acc += hd[i * H + k] * params[OW2 + k * C + j]; }
  hw[idx] = acc;`),
    },
    propagation(s, 'propagate2', 'a', 'hw', 'C', 'z', 'z[idx] = acc;'),
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
      // One workgroup sums the rows: [train loss + the L2 term, validation loss, validation accuracy].
      name: 'metrics',
      bindings: [['rowStats', 'f32', 'read'], ['scalars', 'f32', 'read_write']],
      workgroups: 1,
      body: `
var<workgroup> sums : array<array<f32, 256>, 3>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>) {
  let t = lid.x;
  var a = 0.0; var b = 0.0; var c = 0.0;
  for (var i = t; i < N; i += 256u) { a += rowStats[3u * i]; b += rowStats[3u * i + 1u]; c += rowStats[3u * i + 2u]; }
  sums[0][t] = a; sums[1][t] = b; sums[2][t] = c;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k = k >> 1u) {
    if (t < k) { for (var q = 0u; q < 3u; q++) { sums[q][t] = sums[q][t] + sums[q][t + k]; } }
    workgroupBarrier();
  }
  if (t == 0u) {
    scalars[4] = ${s.trainWeight > 0 ? `sums[0][0] / ${f(s.trainWeight)}` : '0.0'} + ${f(s.weightDecay)} * sqrt(scalars[0]);
    scalars[5] = ${s.valWeight > 0 ? `sums[1][0] / ${f(s.valWeight)}` : '0.0'};
    scalars[6] = ${s.valWeight > 0 ? `sums[2][0] / ${f(s.valWeight)}` : '0.0'};
  }
}`,
    },
    propagation(s, 'propagate2Grad', 'aT', 'dz', 'C', 'dhw', 'dhw[idx] = acc;'),
    {
      // Workgroup w < H*C: dW2[w / C, w % C] = sum_r hd[r, w / C] * dhw[r, w % C]; the next C: db2 = column sums.
      name: 'layer2Grads',
      bindings: [['hd', 'f32', 'read'], ['dhw', 'f32', 'read'], ['grads', 'f32', 'read_write']],
      workgroups: h * c + c,
      body: REDUCE('N', 'select(dhw[r * C + (w - H * C)], hd[r * H + w / C] * dhw[r * C + w % C], w < H * C)', 'grads[OW2 + w] = acc[0];'),
    },
    {
      name: 'hiddenGrad',
      bindings: [['dhw', 'f32', 'read'], ['params', 'f32', 'read'], ['hd', 'f32', 'read'], ['dh', 'f32', 'read_write']],
      threads: n * h,
      body: FLAT('N * H', `let i = idx / H; let j = idx % H;
  var acc = 0.0;
  for (var k = 0u; k < C; k++) { acc += dhw[i * C + k] * params[OW2 + j * C + k]; }
  dh[idx] = select(0.0, acc * SCALE, hd[idx] > 0.0);`),
    },
    propagation(s, 'propagate1Grad', 'aT', 'dh', 'H', 'dxw', 'dxw[idx] = acc;'),
    {
      name: 'w1Grad',
      bindings: [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read'], ['dxw', 'f32', 'read'], ['grads', 'f32', 'read_write']],
      workgroups: nf,
      body: rowsKernel('F', h, 'H', csrScan('xt', 'dxw', (k) => `${k} * H`, h), 'grads[OW1 + idx] = acc;'),
    },
    {
      name: 'b1Grad',
      bindings: [['dxw', 'f32', 'read'], ['grads', 'f32', 'read_write']],
      workgroups: h,
      body: REDUCE('N', 'dxw[r * H + w]', 'grads[OB1 + w] = acc[0];'),
    },
    {
      // Adam with the article's L2 term folded in: its gradient is weightDecay * p / ||p||.
      name: 'adam',
      bindings: [['grads', 'f32', 'read'], ['scalars', 'f32', 'read'], ['params', 'f32', 'read_write'], ['moments', 'f32', 'read_write'], ['epoch', 'u32', 'uniform']],
      threads: nf * h + h + h * c + c,
      body: FLAT('P', `let d = ${s.weightDecay === 0 ? '0.0' : `${f(s.weightDecay)} / max(sqrt(scalars[0]), 1e-12)`};
  let g = grads[idx] + d * params[idx];
  let m = ${f(s.beta1)} * moments[idx] + ${f(1 - s.beta1)} * g;
  let v = ${f(s.beta2)} * moments[P + idx] + ${f(1 - s.beta2)} * g * g;
  moments[idx] = m;
  moments[P + idx] = v;
  params[idx] = params[idx] - ${f(s.lr)} * m * epoch.c1 / (sqrt(v * epoch.c2) + ${f(s.epsilon)});`),
    },
  ];
  return { header: header(s), shaders };
}
