// The WGSL of one whole training epoch of the 2-layer GCN: forward, masked cross-entropy and metrics, backward,
// the L2 term and Adam, as 13 compute shaders over flat buffers (all parameters in one buffer, W1 b1 W2 b2).

export interface EpochShape {
  nodes: number;
  features: number;
  hidden: number;
  classes: number;
  /** 'sparse': CSR adjacency (and its transpose); 'dense': a nodes x nodes matrix. */
  adjacency: 'sparse' | 'dense';
  trainWeight: number;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  dropout: number;
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
// The counter-based hash of host/random.ts (as program.ts's gcnUniformAt), compared as an integer: exact.
fn kept(seed : u32, index : u32) -> bool {
  var x = (index * 0x9e3779b1u) ^ seed;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return (x >> 8u) >= KEEP_FROM;
}
`;
}

/** out[i, j] = sum over row i of `m` of value * src[col, j], for CSR arrays mPtr/mCol/mVal, or a dense `m`. */
function product(s: EpochShape, m: 'a' | 'aT', src: string, width: string): string {
  if (s.adjacency === 'sparse') {
    return `for (var p = ${m}Ptr[i]; p < ${m}Ptr[i + 1u]; p++) { acc += ${m}Val[p] * ${src}[${m}Col[p] * ${width} + j]; }`;
  }
  // The dense adjacency: row i of A, or column i of A for A^T.
  const at = m === 'a' ? 'adj[i * N + k]' : 'adj[k * N + i]';
  return `for (var k = 0u; k < N; k++) { let w = ${at}; if (w != 0.0) { acc += w * ${src}[k * ${width} + j]; } }`;
}

function adjacencyBindings(s: EpochShape, m: 'a' | 'aT'): Binding[] {
  return s.adjacency === 'sparse'
    ? [[`${m}Ptr`, 'u32', 'read'], [`${m}Col`, 'u32', 'read'], [`${m}Val`, 'f32', 'read']]
    : [['adj', 'f32', 'read']];
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
      threads: n * h,
      body: FLAT('N * H', `let i = idx / H; let j = idx % H;
  var acc = params[OB1 + j];
  for (var p = xPtr[i]; p < xPtr[i + 1u]; p++) { acc += xVal[p] * params[OW1 + xCol[p] * H + j]; }
  xw[idx] = acc;`),
    },
    {
      name: 'propagate1ReluDropout',
      bindings: [...adjacencyBindings(s, 'a'), ['xw', 'f32', 'read'], ['hd', 'f32', 'read_write'], ['epoch', 'u32', 'uniform']],
      threads: n * h,
      body: FLAT('N * H', `let i = idx / H; let j = idx % H;
  var acc = 0.0;
  ${product(s, 'a', 'xw', 'H')}
  hd[idx] = select(0.0, acc * SCALE, acc > 0.0 && kept(epoch.seed, idx));`),
    },
    {
      name: 'hiddenTimesW2',
      bindings: [['hd', 'f32', 'read'], ['params', 'f32', 'read'], ['hw', 'f32', 'read_write']],
      threads: n * c,
      body: FLAT('N * C', `let i = idx / C; let j = idx % C;
  var acc = params[OB2 + j];
  for (var k = 0u; k < H; k++) { acc += hd[i * H + k] * params[OW2 + k * C + j]; }
  hw[idx] = acc;`),
    },
    {
      name: 'propagate2',
      bindings: [...adjacencyBindings(s, 'a'), ['hw', 'f32', 'read'], ['z', 'f32', 'read_write']],
      threads: n * c,
      body: FLAT('N * C', `let i = idx / C; let j = idx % C;
  var acc = 0.0;
  ${product(s, 'a', 'hw', 'C')}
  z[idx] = acc;`),
    },
    {
      // One workgroup: every row's cross-entropy and argmax, the train rows' gradient, the epoch's three numbers.
      name: 'metricsAndLossGrad',
      bindings: [['z', 'f32', 'read'], ['labels', 'i32', 'read'], ['trainMask', 'f32', 'read'], ['valMask', 'f32', 'read'], ['scalars', 'f32', 'read_write'], ['dz', 'f32', 'read_write']],
      workgroups: 1,
      body: `
var<workgroup> sums : array<array<f32, 256>, 5>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_id) lid : vec3<u32>) {
  let t = lid.x;
  var train = 0.0; var trainW = 0.0; var val = 0.0; var valW = 0.0; var hits = 0.0;
  for (var i = t; i < N; i += 256u) {
    let tw = trainMask[i];
    let vw = valMask[i];
    let row = i * C;
    if (tw == 0.0 && vw == 0.0) {
      for (var j = 0u; j < C; j++) { dz[row + j] = 0.0; }
      continue;
    }
    var best = 0u;
    for (var j = 1u; j < C; j++) { if (z[row + j] > z[row + best]) { best = j; } }
    let m = z[row + best];
    var sum = 0.0;
    for (var j = 0u; j < C; j++) { sum += exp(z[row + j] - m); }
    let label = u32(labels[i]);
    let ce = log(sum) + m - z[row + label];
    train += tw * ce; trainW += tw; val += vw * ce; valW += vw;
    if (best == label) { hits += vw; }
    let g = tw / ${f(s.trainWeight)};
    for (var j = 0u; j < C; j++) { dz[row + j] = g * (exp(z[row + j] - m) / sum - select(0.0, 1.0, j == label)); }
  }
  sums[0][t] = train; sums[1][t] = trainW; sums[2][t] = val; sums[3][t] = valW; sums[4][t] = hits;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k = k >> 1u) {
    if (t < k) { for (var q = 0u; q < 5u; q++) { sums[q][t] = sums[q][t] + sums[q][t + k]; } }
    workgroupBarrier();
  }
  if (t == 0u) {
    scalars[4] = select(0.0, sums[0][0] / sums[1][0], sums[1][0] > 0.0) + ${f(s.weightDecay)} * sqrt(scalars[0]);
    scalars[5] = select(0.0, sums[2][0] / sums[3][0], sums[3][0] > 0.0);
    scalars[6] = select(0.0, sums[4][0] / sums[3][0], sums[3][0] > 0.0);
  }
}`,
    },
    {
      name: 'propagate2Grad',
      bindings: [...adjacencyBindings(s, 'aT'), ['dz', 'f32', 'read'], ['dhw', 'f32', 'read_write']],
      threads: n * c,
      body: FLAT('N * C', `let i = idx / C; let j = idx % C;
  var acc = 0.0;
  ${product(s, 'aT', 'dz', 'C')}
  dhw[idx] = acc;`),
    },
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
    {
      name: 'propagate1Grad',
      bindings: [...adjacencyBindings(s, 'aT'), ['dh', 'f32', 'read'], ['dxw', 'f32', 'read_write']],
      threads: n * h,
      body: FLAT('N * H', `let i = idx / H; let j = idx % H;
  var acc = 0.0;
  ${product(s, 'aT', 'dh', 'H')}
  dxw[idx] = acc;`),
    },
    {
      name: 'w1Grad',
      bindings: [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read'], ['dxw', 'f32', 'read'], ['grads', 'f32', 'read_write']],
      threads: nf * h,
      body: FLAT('F * H', `let i = idx / H; let j = idx % H;
  var acc = 0.0;
  for (var p = xtPtr[i]; p < xtPtr[i + 1u]; p++) { acc += xtVal[p] * dxw[xtCol[p] * H + j]; }
  grads[OW1 + idx] = acc;`),
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
