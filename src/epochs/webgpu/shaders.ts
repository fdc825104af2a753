// The WGSL of one whole training epoch of any GCN (the layer list of an EpochShape): forward, masked cross-entropy
// and metrics, backward, the L2 term and Adam, as 2 + 4 L compute shaders for L layers (fewer where an A product's
// workgroups end holding whole rows and go on with what follows each row: see rowsComplete) over flat buffers (all
// parameters in one buffer, in the model's order: see parameterSlots; activations named as epochs/buffers.ts names
// them). Sums over all nodes (the weight and bias gradients, the metrics) are split into partial sums, each a
// workgroup's, that Adam adds up: one workgroup per output would leave most of a large GPU idle. The squared
// parameters' sum (the L2 term) is carried from one Adam step to the next, so no kernel of its own reads them.
import { dropoutThreshold, HASH_WGSL } from '../../ops/index.js';
import { backwardBuffers, gradientOf, layerBuffer } from '../buffers.js';
import { checkEpochShape, classesOf, hiddenLayerCount, parameterSlots, type EpochShape } from '../shape.js';
import { bufferSource, floatLiteral, type Binding, type Source } from './wgsl.js';

/** The epoch shape, and what the shaders bake in besides. */
export interface WebGpuEpochShape extends EpochShape {
  /**
   * How many rows of A and of A^T have more than LANES_MAX_ROW entries (the runner uploads their indices after
   * the row pointers, in aPtr and aTPtr). Those rows are summed by a workgroup each, the others by lanes, in the same dispatch: one thread
   * walking Cora's busiest node (169 neighbours) would serialise its loads. Absent or 0: lanes only. `xt`: the
   * same for X^T's rows (sparse X) in the first layer's weight gradient; absent: a workgroup for every row.
   */
  longRows?: { a: number; aT: number; xt?: number };
  /** How many rows the train and validation masks select (their sums). */
  trainWeight: number;
  valWeight: number;
}

export type { Binding };

/** Statements for j = 0 .. w-1, written out: arrays indexed by constants stay in registers, not local memory. */
const unrolled = (w: number, statement: (j: number) => string) => Array.from({ length: w }, (_, j) => statement(j)).join('\n    ');

/** Iterations of a strided loop written out together, so that their loads are in flight at once. */
export const LOOP_UNROLL = 4;

/**
 * The hidden layers' weight gradients unrolled only up to this many slices (16384 nodes): on the H200 unrolled they
 * took 11 µs where they took 20 on Cora, but 1.86 ms where they took 0.85 at 10^6 nodes, and 25.9 ms where 20.1 at
 * 10^7 (gpu-scaling-2026-12-02-h200-unrolled.json against gpu-scaling-2026-12-02-h200-sampler.json): past the L2
 * cache, more loads in flight over rows 64 S apart only add to the traffic.
 */
export const LAYER_GRADS_UNROLL_SLICES = 2;

/**
 * for (v = first; v < end; v += step) body, LOOP_UNROLL iterations at a time: each sees its index (clamped to
 * end - 1, so every load is in bounds and none waits on a branch) and `live`, false past the end, where the body
 * must add nothing. A thread's loads otherwise go one round trip at a time: a small graph's loops are latency-bound.
 */
function strided(v: string, first: string, end: string, step: string, body: (index: string, live: string) => string, unroll = LOOP_UNROLL): string {
  const blocks = Array.from({ length: unroll }, (_, k) =>
    k === 0
      ? `{\n      let ${v}0 = ${v};\n      let live0 = true;\n      ${body(`${v}0`, 'live0')}\n    }`
      : `{\n      let ${v}${k} = min(${v} + ${k}u * (${step}), (${end}) - 1u);\n      let live${k} = ${v} + ${k}u * (${step}) < (${end});\n      ${body(`${v}${k}`, `live${k}`)}\n    }`,
  );
  return `for (var ${v} = ${first}; ${v} < (${end}); ${v} += ${unroll}u * (${step})) {\n    ${blocks.join('\n    ')}\n    }`;
}

export interface Shader {
  name: string;
  bindings: Binding[];
  /** Threads (one per output) for the flat kernels; workgroups for the reductions. */
  threads?: number;
  workgroups?: number;
  /** Two bindings whose buffers trade places after each dispatch (what one writes, the next reads). */
  swap?: [string, string];
  body: string;
}

/** Workgroups of flat kernels: at most this many along x, the rest along y (the WebGPU limit is 65535). */
export const MAX_X_GROUPS = 32768;
export const FLAT_GROUP = 64;

/** Partial sums per sum over all nodes: one per 8192 nodes, at most 128 (a few loads for each Adam thread). */
export function slicesOf(nodes: number): number {
  return Math.min(128, Math.max(1, Math.ceil(nodes / 8192)));
}

/** Parameters an Adam workgroup updates (4 a thread). */
export const ADAM_SPAN = 1024;

/** Partial sums of the squared parameters: one per Adam workgroup (ADAM_SPAN parameters). */
export function squareSlicesOf(parameters: number): number {
  return Math.max(1, Math.ceil(parameters / ADAM_SPAN));
}

/** Workgroups of the loss kernel, each 256 threads over strided rows: one per 256 rows, at most 1024. */
export function lossGroupsOf(nodes: number): number {
  return Math.min(1024, Math.max(1, Math.ceil(nodes / 256)));
}
const f = floatLiteral;

/** vec4s of dropout seeds in the epoch's uniform (one seed per hidden layer, at least one vec4). */
export function seedVectors(s: Pick<EpochShape, 'layers'>): number {
  return Math.max(1, Math.ceil(hiddenLayerCount(s) / 4));
}

/** Hidden layer l's dropout seed in the epoch's uniform. */
const seedOf = (l: number) => `epoch.seeds[${l >> 2}u].${'xyzw'[l & 3]}`;

/** N, C (classes), P (parameters); layer i's widths K<i> (inputs), O<i> (outputs) and offsets OW<i>, OB<i>. */
function header(s: WebGpuEpochShape): string {
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

function adjacencyBindings(s: Pick<WebGpuEpochShape, 'adjacency'>, m: 'a' | 'aT'): Binding[] {
  return s.adjacency === 'sparse'
    ? [[`${m}Ptr`, 'u32', 'read'], [`${m}Col`, 'u32', 'read'], [`${m}Val`, 'f32', 'read']]
    : [[m === 'a' ? 'adj' : 'adjT', 'vec4<f32>', 'read']];
}

/**
 * The vec4s of a dense row of `n` floats (A's, X^T's), padded with zeros to a multiple of 4: each thread of a rows
 * kernel loads 16 bytes at a time, a quarter of the round trips of one float at a time (on Cora's 2708-node A its
 * 64 threads otherwise walk 42 floats each, latency-bound).
 */
export const quadsOf = (n: number): number => Math.ceil(n / 4);

const ROW_GROUP = 64;

/** Columns a rows kernel's workgroup sums at most: 64 x 64 floats, the 16 KiB of workgroup memory every device has. */
export const ROWS_MAX_WIDTH = 64;

/**
 * A rows kernel's output columns: all w in each workgroup, or (w past ROWS_MAX_WIDTH) `blocks` blocks of `width`
 * columns, the first of its block in cb; `plus` is what a column index adds (' + cb', or nothing).
 */
interface Columns {
  width: number;
  blocks: number;
  plus: string;
}

function columnsOf(w: number): Columns {
  if (w <= ROWS_MAX_WIDTH) return { width: w, blocks: 1, plus: '' };
  let width = ROWS_MAX_WIDTH;
  while (w % width !== 0) width--;
  return { width, blocks: w / width, plus: ' + cb' };
}

/**
 * Long rows (X^T's, a dense adjacency's), one workgroup per output row or slice of one (and block of columns): its
 * 64 threads share the row's entries (`scan` adds into sums[0..width)), then sum their partial rows. `locate` sets i
 * (the row), sl (the slice) and live from g (the workgroup); `store` sees i, sl, t (the column in the block) and acc.
 */
function rowsKernel(c: Columns, locate: string, scan: string, store: string): string {
  return `
${partShared(c)}
@compute @workgroup_size(${ROW_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  ${rowsStatements(c, `wid.x + wid.y * ${MAX_X_GROUPS}u`, locate, scan, store)}
}`;
}

/**
 * Words between one thread's partial row and the next in `part`: the width, one more where it is even (and the
 * array still fits the 16 KiB every device has), so that the 32 threads of a subgroup, writing their partial rows
 * column by column, hit 32 different banks rather than 2.
 */
const partStride = (w: number): number => (w % 2 === 0 && w < ROWS_MAX_WIDTH ? w + 1 : w);

/** The workgroup memory rowsStatements sums in. */
const partShared = (c: Columns): string => `var<workgroup> part : array<f32, ${ROW_GROUP * partStride(c.width)}>;`;

/**
 * rowsKernel's statements, for the workgroup numbered `group` among those that run them (t: the thread). Each thread
 * writes its partial row into `part` (thread u's from u * stride); then floor(64 / width) lanes of `width` threads
 * each add up the partial rows of threads lane, lane + lanes, ... column by column, and the first `width` threads
 * the lanes' sums: two steps and three barriers, where a tree over the 64 threads took six of each and its active
 * threads w words each (gpu-2026-12-03-h200-cora-dense-scan-experiment.json: the 2708-row dense products took about
 * 1.2 us more per output column). The same order every run.
 */
function rowsStatements(c: Columns, group: string, locate: string, scan: string, store: string): string {
  const w = c.width;
  const stride = partStride(w);
  const lanes = Math.floor(ROW_GROUP / w);
  const place = c.blocks === 1 ? `let g = ${group};` : `let g = (${group}) / ${c.blocks}u;\n  let cb = ((${group}) % ${c.blocks}u) * ${w}u;`;
  return `${place}
  ${locate}
  var sums : array<f32, ${w}>;
  if (live) {
    ${scan}
  }
  ${unrolled(w, (j) => `part[t * ${stride}u + ${j}u] = sums[${j}];`)}
  workgroupBarrier();
  let sumLane = t / ${w}u;
  let sumCol = t % ${w}u;
  var laneSum = 0.0;
  if (sumLane < ${lanes}u) {
    for (var u = sumLane; u < ${ROW_GROUP}u; u += ${lanes}u) { laneSum += part[u * ${stride}u + sumCol]; }
  }
  workgroupBarrier();
  if (sumLane < ${lanes}u) { part[sumLane * ${w}u + sumCol] = laneSum; }
  workgroupBarrier();
  if (live && t < ${w}u) {
    var acc = 0.0;
    for (var e = 0u; e < ${lanes}u; e++) { acc += part[e * ${w}u + t]; }
    ${store}
  }`;
}

/** Entries first, first + step, ... of row i of CSR `m` against rows of src (column j of a block: `col(j)`). */
function csrScan(m: string, src: Source, col: (j: number) => string, w: number, first = 't', step = `${ROW_GROUP}u`): string {
  return `let end = ${m}Ptr[i + 1u];
    ${strided('p', `${m}Ptr[i] + ${first}`, 'end', step, (p, live) => `let a = ${m}Val[${p}];
      let r = ${m}Col[${p}];
      ${unrolled(w, (j) => `sums[${j}] += select(0.0, a * ${src.at('r', col(j))}, ${live});`)}`)}`;
}

/** Column j of a block of columns (Columns.plus: its first column, cb). */
const blockColumn = (c: Columns) => (j: number) => `${j}u${c.plus}`;

/** Row i of a dense A or X (`quads` vec4s a row) against rows of src, skipping its zeros. */
function denseScan(matrix: string, src: Source, c: Columns, quads = 'NQ'): string {
  return quadScan((q) => `${matrix}[i * ${quads} + ${q}]`, 't', quads, `${ROW_GROUP}u`, c.width, (r, a) => unrolled(c.width, (j) => `sums[${j}] += ${a} * ${src.at(r, blockColumn(c)(j))};`));
}

/**
 * for (q = first; q < end; q += step) over a padded dense row's vec4s (`load(q)` reads one), each of its 4 entries
 * that is not 0 given to `add(r, a)` (r: its column, a: its value): the zeros' source rows are never read, and
 * neither are the padding's. `width`: the columns each entry adds into. LOOP_UNROLL quads at a time while
 * QUAD_SCAN_MAX_TERMS allows: all of them loaded first, and only a block with a non-zero entry goes into the
 * per-entry branches, so a row of zeros costs its loads and one test, whatever the width (the branches' multiply-adds,
 * if the compiler predicates them, would otherwise run for every entry).
 */
function quadScan(load: (q: string) => string, first: string, end: string, step: string, width: number, add: (r: string, a: string) => string): string {
  const unroll = LOOP_UNROLL * 4 * width <= QUAD_SCAN_MAX_TERMS ? LOOP_UNROLL : 1;
  const ks = Array.from({ length: unroll }, (_, k) => k);
  const index = (k: number) => (k === 0 ? 'q' : `min(q + ${k}u * (${step}), (${end}) - 1u)`);
  const quad = (k: number) => (k === 0 ? load('q') : `select(vec4<f32>(0.0), ${load(`q${k}`)}, q + ${k}u * (${step}) < (${end}))`);
  const entries = (k: number) =>
    [0, 1, 2, 3].map((e) => `if (quad${k}[${e}] != 0.0) {
          let r = 4u * q${k} + ${e}u;
          let a = quad${k}[${e}];
          ${add('r', 'a')}
        }`).join('\n        ');
  return `for (var q = ${first}; q < (${end}); q += ${unroll}u * (${step})) {
      ${ks.map((k) => `let q${k} = ${index(k)};`).join(' ')}
      ${ks.map((k) => `let quad${k} = ${quad(k)};`).join('\n      ')}
      if (any((${ks.map((k) => `quad${k}`).join(' != vec4<f32>(0.0)) | (')} != vec4<f32>(0.0)))) {
        ${ks.map((k) => `{\n        ${entries(k)}\n        }`).join('\n        ')}
      }
    }`;
}

/**
 * The multiply-adds a quad scan writes out at most: 4 quads of 4 entries into 16 columns. Dawn's shader compiler
 * crashed (SIGSEGV, in its null backend) on 4 x 4 x 64 for the layer of 512 outputs.
 */
const QUAD_SCAN_MAX_TERMS = 256;

/**
 * Rows up to this many entries are walked by one thread per vec4 of outputs (one per output where some row is
 * longer); longer rows by a workgroup each (see WebGpuEpochShape.longRows).
 */
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

/**
 * A part of a dispatch: `groups` workgroups of ROW_GROUP threads running `code(g)` (g: the workgroup's number among
 * them, t: the thread), reading and writing `bindings`, with the workgroup arrays declared in `shared`.
 */
export interface Segment {
  groups: number;
  code: (g: string) => string;
  bindings: Binding[];
  shared: string[];
}

/** The bindings of all of `lists`, each once (a buffer bound twice would be two entries of one bind group). */
function bindingsOf(...lists: Binding[][]): Binding[] {
  const out = new Map<string, Binding>();
  for (const b of lists.flat()) {
    const known = out.get(b[0]);
    if (known && (known[1] !== b[1] || known[2] !== b[2])) throw new Error(`gcnlab: the buffer ${b[0]} is bound as ${known.join(' ')} and as ${b.join(' ')}`);
    out.set(b[0], b);
  }
  return [...out.values()];
}

/** One dispatch of segments, their workgroups numbered one after another, each segment in a branch of its own. */
function segmentsKernel(name: string, segments: Segment[]): Shader {
  let first = 0;
  const branches: string[] = [];
  const live = segments.filter((p) => p.groups > 0);
  for (const segment of live) {
    branches.push(`if (g0 < ${first + segment.groups}u) {
    ${segment.code(first === 0 ? 'g0' : `(g0 - ${first}u)`)}
  }`);
    first += segment.groups;
  }
  return {
    name,
    bindings: bindingsOf(...live.map((p) => p.bindings)),
    workgroups: first,
    body: `${[...new Set(live.flatMap((p) => p.shared))].join('\n')}
@compute @workgroup_size(${ROW_GROUP}) fn main(@builtin(local_invocation_id) lid : vec3<u32>, @builtin(workgroup_id) wid : vec3<u32>) {
  let t = lid.x;
  let g0 = wid.x + wid.y * ${MAX_X_GROUPS}u;
  ${branches.join(' else ')}
}`,
  };
}

/**
 * What a propagation kernel does next with each row it completes, in the same dispatch: `code(lane, lanes)` runs
 * for row i (in scope) once the workgroup has stored its rows, by `lanes` threads of the workgroup, `lane` the
 * thread's number among them, reading the stored row back.
 */
interface RowEpilogue {
  code: (lane: string, lanes: number) => string;
  bindings: Binding[];
}

/** An epilogue after rowsStatements' row i (a workgroup's), in uniform control flow; nothing without one. */
const rowEpilogue = (then?: RowEpilogue): string =>
  then
    ? `
  // The row's entries, stored by other threads of the workgroup, are visible to all of them past storageBarrier.
  storageBarrier();
  if (live) {
    ${then.code('t', ROW_GROUP)}
  }`
    : '';

/**
 * Whether each workgroup of layer i's forward A product ends holding whole output rows, so that what follows a row
 * (the next layer's lin, the loss) can run in the same dispatch instead of one of its own: a dense A's rows (a
 * workgroup each), or a sparse A with long rows (a workgroup each; the short rows whole rows to a workgroup), all
 * their columns in one block. A dispatch costs the H200 about 8 us of host time and a few of GPU time besides its
 * work (gpu-2026-12-03-h200-cora-recomputed-lin-experiment.json).
 */
function rowsComplete(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows'>, i: number, m: 'a' | 'aT' = 'a'): boolean {
  return (s.adjacency === 'dense' || (s.longRows?.[m] ?? 0) > 0) && columnsOf(s.layers[i].outputs).blocks === 1;
}

/**
 * The layers above the first whose backward takes no dispatch of its own: each one's A^T product computes the
 * gradient below (dLin W^T through the relu and dropout of the layer under it) for the rows it completes
 * (rowsComplete), and its weight sums run beside the first layer's A^T product, in the same dispatch, where the A^T
 * products are dispatches of workgroups (dense A, or sparse with long rows) and the sums are not tiled (under
 * TILED_GRADS_SLICES slices). The second layer and those above it, as many as the first layer's A^T product can bind
 * the sums' buffers of (a dense A: two, the second and third; a sparse A, 3 buffers itself: the second alone).
 */
function foldedLayers(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'nodes'>): number[] {
  if (s.layers.length < 2 || slicesOf(s.nodes) >= TILED_GRADS_SLICES) return [];
  const fits = (layers: number[]) => layers.every((i) => rowsComplete(s, i, 'aT')) && firstGradBuffers(s, layers) <= MAX_STORAGE_BUFFERS;
  for (let top = s.layers.length - 1; top >= 1; top--) {
    const layers = Array.from({ length: top }, (_, k) => k + 1);
    if (fits(layers)) return layers;
  }
  return [];
}

/** The storage buffers a kernel may bind: the 8 every WebGPU device has (tfjs's device asks for no more). */
const MAX_STORAGE_BUFFERS = 8;

/**
 * The buffers the first layer's A^T product binds with `layers`' weight sums beside it: A^T, the gradient it
 * multiplies, dLin0, and each layer's input and dLin, and gradParts.
 */
function firstGradBuffers(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers'>, layers: number[]): number {
  const sums = layers.flatMap((i) => [inputOf(i), backwardBuffers(s, i).dLin]);
  return new Set([...adjacencyBindings(s, 'aT').map(([name]) => name), gradientOf(s, 0), backwardBuffers(s, 0).dLin, ...sums, 'gradParts']).size;
}

/**
 * Whether the loss and dz are computed by the last A product's workgroups (see rowsComplete), not a kernel of their
 * own: up to LOSS_FUSED_MAX_NODES nodes, as each row then leaves its own partial sums for Adam's first workgroup to add.
 */
const lossFused = (s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'nodes'>): boolean => s.nodes <= LOSS_FUSED_MAX_NODES && rowsComplete(s, s.layers.length - 1);

/** Rows whose metrics Adam's first workgroup adds at most (64 of each kind a thread); past them the loss kernel sums them. */
const LOSS_FUSED_MAX_NODES = 16384;

/** Whether layer i's lin (i above 0) is computed by the A product below's workgroups (see rowsComplete). */
const linFused = (s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows'>, i: number): boolean => i > 0 && rowsComplete(s, i - 1);

/**
 * The metrics' partial sums of each kind in statParts: one per loss workgroup, or one per row where the last A
 * product computes the loss.
 */
export function lossPartsOf(s: Pick<WebGpuEpochShape, 'adjacency' | 'layers' | 'longRows' | 'nodes'>): number {
  return lossFused(s) ? s.nodes : lossGroupsOf(s.nodes);
}

/**
 * A propagation kernel: adj @ src or adj^T @ src (layer i's O<i> columns), sparse (lanes) or dense (a workgroup per
 * row).
 */
function propagation(s: WebGpuEpochShape, name: string, m: 'a' | 'aT', src: Source, layer: number, out: string, store: Store, then?: RowEpilogue, beside: Segment[] = []): Shader {
  const w = s.layers[layer].outputs;
  const width = `O${layer}`;
  const c = columnsOf(w);
  const writes: Binding[] = [[out, 'f32', 'read_write'], ...(store.scalar.includes('epoch.') ? [['epoch', 'u32', 'uniform'] as Binding] : [])];
  const part = partShared(c);
  const storeEntry = `let idx = i * ${width}${c.plus} + t;\n    ${store.scalar}`;
  if (then && !rowsComplete(s, layer, m)) throw new Error(`gcnlab: ${name}'s workgroups do not each hold whole rows: nothing can follow in the same dispatch`);
  if (beside.length && s.adjacency === 'sparse' && !((s.longRows?.[m] ?? 0) > 0)) throw new Error(`gcnlab: ${name} is a flat kernel: no segment can run beside it`);
  if (s.adjacency === 'dense') {
    const scan = denseScan(m === 'a' ? 'adj' : 'adjT', src, c);
    const rows: Segment = {
      groups: s.nodes * c.blocks,
      code: (g) => rowsStatements(c, g, ONE_ROW_PER_GROUP('N'), scan, storeEntry) + rowEpilogue(then),
      bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...(then?.bindings ?? [])],
      shared: [part],
    };
    return segmentsKernel(name, [rows, ...beside]);
  }
  const long = s.longRows?.[m] ?? 0;
  if (long > 0) {
    // The first workgroups: one thread per output entry of the rows up to LANES_MAX_ROW entries (the long ones
    // left alone); then a workgroup per long row (and block of columns), listed in <m>Long.
    const lanes = strided('p', `${m}Ptr[i]`, 'end', '1u', (p, live) => `acc += select(0.0, ${m}Val[${p}] * ${src.at(`${m}Col[${p}]`, 'j')}, ${live});`);
    // With an epilogue, each workgroup takes R whole rows (R w of its threads), so that it ends holding them.
    const rows = Math.floor(ROW_GROUP / w);
    const short: Segment = then
      ? {
          groups: Math.ceil(s.nodes / rows),
          code: (g) => `let i = min(${g} * ${rows}u + t / ${width}, N - 1u);
    let j = t % ${width};
    let short = t < ${rows * w}u && ${g} * ${rows}u + t / ${width} < N && ${m}Ptr[i + 1u] - ${m}Ptr[i] <= ${LANES_MAX_ROW}u;
    if (short) {
      let idx = i * ${width} + j;
      let end = ${m}Ptr[i + 1u];
      var acc = 0.0;
      ${lanes}
      ${store.scalar}
    }
    storageBarrier();
    if (short) {
      ${then.code('j', w)}
    }`,
          bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...then.bindings],
          shared: [part],
        }
      : {
          groups: Math.ceil((s.nodes * w) / ROW_GROUP),
          code: (g) => `let idx = ${g} * ${ROW_GROUP}u + t;
    if (idx < N * ${width}) {
      let i = idx / ${width};
      let j = idx % ${width};
      let end = ${m}Ptr[i + 1u];
      if (end - ${m}Ptr[i] <= ${LANES_MAX_ROW}u) {
        var acc = 0.0;
        ${lanes}
        ${store.scalar}
      }
    }`,
          bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes],
          shared: [part],
        };
    const longRows: Segment = {
      groups: long * c.blocks,
      code: (g) => rowsStatements(c, g, `let live = g < ${long}u; let i = ${m}Ptr[N + 1u + min(g, ${Math.max(long, 1) - 1}u)]; let sl = 0u;`, csrScan(m, src, blockColumn(c), c.width), storeEntry) + rowEpilogue(then),
      bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...(then?.bindings ?? [])],
      shared: [part],
    };
    return segmentsKernel(name, [short, longRows, ...beside]);
  }
  const k = lanesKernel('N', w, m, src.buffer, '', store);
  const bindings: Binding[] = [...adjacencyBindings(s, m), [src.buffer, k.type, 'read'], [out, k.type, 'read_write'], ...writes.slice(1)];
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

/** The dropout mask (seed `seed`) of four hidden entries from 4 idx, as a vec4 of keeps. */
const kept4 = (seed: string) => `let e = idx * 4u;
  let keep = vec4<bool>(kept(${seed}, e), kept(${seed}, e + 1u), kept(${seed}, e + 2u), kept(${seed}, e + 3u));`;

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

/** Layer i's input: X for the first layer, the hidden layer below's output for the others. */
const inputOf = (i: number) => (i === 0 ? 'x' : layerBuffer.hidden(i - 1));

/**
 * lin<i> = input @ W + b: sparse X by lanes (one vec4 of outputs a thread), dense X a workgroup per row, a hidden
 * layer's output (a few columns) one output a thread.
 */
function linear(s: WebGpuEpochShape, i: number): Shader {
  const l = s.layers[i];
  const out = layerBuffer.lin(i);
  const name = i === 0 ? 'featuresTimesW1' : `hiddenTimesW${i + 1}`;
  if (i === 0 && s.features === 'sparse') {
    // W and b as vec4s where the outputs come four at a time (OW0 is 0, OB0 a multiple of O0).
    const store = l.bias ? `${out}[idx] = acc + params[OB0 / VO + t];` : `${out}[idx] = acc;`;
    const k = lanesKernel('N', l.outputs, 'x', 'params', 'OW0 / VO + ', { scalar: store, vector: store });
    return {
      name,
      bindings: [['xPtr', 'u32', 'read'], ['xCol', 'u32', 'read'], ['xVal', 'f32', 'read'], ['params', k.type, 'read'], [out, k.type, 'read_write']],
      threads: s.nodes * k.lanes,
      body: `const VO : u32 = ${l.outputs / k.lanes}u;\n${k.body}`,
    };
  }
  if (i === 0) {
    // Dense X as a dense A: a workgroup per row, its zeros skipped (Cora's X is 1.3% non-zeros). OW0 is 0.
    const c = columnsOf(l.outputs);
    const store = `let idx = i * O0${c.plus} + t;\n    ${out}[idx] = acc${l.bias ? ` + params[OB0${c.plus} + t]` : ''};`;
    return {
      name,
      bindings: [['x', 'vec4<f32>', 'read'], ['params', 'f32', 'read'], [out, 'f32', 'read_write']],
      workgroups: s.nodes * c.blocks,
      body: rowsKernel(c, ONE_ROW_PER_GROUP('N'), denseScan('x', bufferSource('params', 'O0'), c, 'KQ0'), store),
    };
  }
  const src = inputOf(i);
  return {
    name,
    bindings: [[src, 'f32', 'read'], ['params', 'f32', 'read'], [out, 'f32', 'read_write']],
    threads: s.nodes * l.outputs,
    body: FLAT(`N * O${i}`, `let i = idx / O${i}; let j = idx % O${i};
  ${linEntry(s, i)}`),
  };
}

/** lin<i>[i, j] = the input's row i @ W column j + b[j] (i above 0), in the order linear's threads add it. */
function linEntry(s: WebGpuEpochShape, i: number): string {
  return `var acc = ${s.layers[i].bias ? `params[OB${i} + j]` : '0.0'};
  for (var k = 0u; k < K${i}; k++) { acc += ${inputOf(i)}[i * K${i} + k] * params[OW${i} + k * O${i} + j]; }
  ${layerBuffer.lin(i)}[i * O${i} + j] = acc;`;
}

/** `entry` (which sees j) for j = lane, lane + lanes, ... below `count`: a row's entries over an epilogue's threads. */
const laneEntries = (lane: string, lanes: number, count: string, entry: string): string => `for (var jj = ${lane}; jj < ${count}; jj += ${lanes}u) {
      let j = jj;
      ${entry}
    }`;

/** Layer i's lin (i above 0) by the workgroup of the A product below that stored its input's row i (linFused). */
const linEpilogue = (s: WebGpuEpochShape, i: number): RowEpilogue => ({
  code: (lane, lanes) => laneEntries(lane, lanes, `O${i}`, linEntry(s, i)),
  bindings: [['params', 'f32', 'read'], [layerBuffer.lin(i), 'f32', 'read_write']],
});

/** Layer i's A product: into hidden<i> through relu and dropout, or (the last layer) into the logits. */
function propagate(s: WebGpuEpochShape, i: number): Shader {
  const src = bufferSource(layerBuffer.lin(i), `O${i}`);
  const prefix = `propagate${i + 1}`;
  if (i === s.layers.length - 1) {
    const z = layerBuffer.prop(i);
    const fused = lossFused(s);
    return propagation(s, fused ? `${prefix}AndLoss` : prefix, 'a', src, i, z, { scalar: `${z}[idx] = acc;`, vector: `${z}[idx] = acc;` }, fused ? lossEpilogue(s) : undefined);
  }
  const out = layerBuffer.hidden(i);
  const fused = linFused(s, i + 1);
  return propagation(s, `${prefix}ReluDropout${fused ? `TimesW${i + 2}` : ''}`, 'a', src, i, out, {
    scalar: `${out}[idx] = select(0.0, acc * SCALE, acc > 0.0 && kept(${seedOf(i)}, idx));`,
    vector: `${kept4(seedOf(i))}\n  ${out}[idx] = select(vec4<f32>(0.0), acc * SCALE, (acc > vec4<f32>(0.0)) & keep);`,
  }, fused ? linEpilogue(s, i + 1) : undefined);
}

/** The gradient wrt layer i's lin: A^T @ the gradient wrt its A product (with what `folded`, foldedLayers', takes in). */
function propagateGrad(s: WebGpuEpochShape, i: number, folded: number[], slices: number): Shader {
  const dLin = backwardBuffers(s, i).dLin;
  const store = { scalar: `${dLin}[idx] = acc;`, vector: `${dLin}[idx] = acc;` };
  const src = bufferSource(gradientOf(s, i), `O${i}`);
  if (i > 0 && folded.includes(i)) return propagation(s, `propagate${i + 1}GradAndHiddenGrad`, 'aT', src, i, dLin, store, hiddenGradEpilogue(s, i));
  if (i === 0 && folded.length) {
    const name = `propagate1GradAndLayer${folded.map((j) => j + 1).join('And')}Grads`;
    return propagation(s, name, 'aT', src, i, dLin, store, undefined, folded.map((j) => weightSumsSegment(s, j, slices)));
  }
  return propagation(s, `propagate${i + 1}Grad`, 'aT', src, i, dLin, store);
}

/** hiddenGrad for row i (layer i above 0), by the workgroup of layer i's A^T product that stored dLin's row i. */
const hiddenGradEpilogue = (s: WebGpuEpochShape, i: number): RowEpilogue => {
  const { dBelow } = backwardBuffers(s, i);
  return {
    code: (lane, lanes) => laneEntries(lane, lanes, `K${i}`, `let idx = i * K${i} + j;
      ${hiddenGradEntry(s, i)}`),
    bindings: [['params', 'f32', 'read'], [dBelow!, 'f32', 'read_write'], [inputOf(i), 'f32', 'read']],
  };
};

/** Layer i's weight sums (i above 0; weightSumStatements) as a segment of grads x S workgroups beside the first layer's A^T product. */
function weightSumsSegment(s: WebGpuEpochShape, i: number, slices: number): Segment {
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
const lossEpilogue = (s: WebGpuEpochShape): RowEpilogue => ({
  code: (lane) => `if (${lane} == 0u) {
    var a = 0.0; var b = 0.0; var c = 0.0;
    ${rowLossStatements(s)}
    statParts[i] = a; statParts[LG + i] = b; statParts[2u * LG + i] = c;
  }`,
  bindings: [['targets', 'u32', 'read'], ['dz', 'f32', 'read_write'], ['statParts', 'f32', 'read_write']],
});

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

/**
 * Layer i's weight and bias gradients as S partial sums each, in gradParts[(parameter) S + slice]; above the first
 * layer, in the same dispatch (one barrier fewer), the gradient wrt the A product below through its relu and dropout.
 * A binding the shader does not read would not be in its layout: each kernel binds only what it reads.
 */
function layerGrads(s: WebGpuEpochShape, i: number, slices: number): Shader {
  const l = s.layers[i];
  const { dLin, dBelow } = backwardBuffers(s, i);
  const [K, O, OW] = [`K${i}`, `O${i}`, `OW${i}`];
  if (i === 0) {
    // Workgroups below K0 S: a slice of row i of X^T (CSR, or dense with its zeros skipped) against dLin
    // (dW = X^T dLin); the last S (with bias): a slice of dLin's column sums (db). Each writes its partial row of O0
    // into gradParts.
    const c = columnsOf(l.outputs);
    const columnSums = strided('r', `t + ${ROW_GROUP}u * sl`, 'N', `${ROW_GROUP}u * S`, (r, live) => unrolled(c.width, (j) => `sums[${j}] += select(0.0, ${dLin}[${r} * O0${c.plus} + ${j}u], ${live});`));
    const product =
      s.features === 'sparse'
        ? csrScan('xt', bufferSource(dLin, 'O0'), blockColumn(c), c.width, `t + ${ROW_GROUP}u * sl`, `${ROW_GROUP}u * S`)
        : quadScan((q) => `xT[i * NQ + ${q}]`, `t + ${ROW_GROUP}u * sl`, 'NQ', `${ROW_GROUP}u * S`, c.width, (r, a) => unrolled(c.width, (j) => `sums[${j}] += ${a} * ${dLin}[${r} * O0${c.plus} + ${j}u];`));
    const xt: Binding[] = s.features === 'sparse' ? [['xtPtr', 'u32', 'read'], ['xtCol', 'u32', 'read'], ['xtVal', 'f32', 'read']] : [['xT', 'vec4<f32>', 'read']];
    const long = s.longRows?.xt;
    if (s.features === 'sparse' && long !== undefined) return firstLayerGradsByLanes(s, long, c, columnSums, product);
    return {
      name: l.bias ? 'w1AndB1Grads' : 'w1Grads',
      bindings: [...xt, [dLin, 'f32', 'read'], ['gradParts', 'f32', 'read_write']],
      workgroups: (l.inputs * slices + (l.bias ? slices : 0)) * c.blocks,
      body: l.bias
        ? rowsKernel(
            c,
            'let bias = g >= K0 * S; let i = select(g / S, 0u, bias); let sl = select(g % S, g - K0 * S, bias); let live = g < K0 * S + S;',
            `if (bias) {\n      ${columnSums}\n    } else {\n      ${product}\n    }`,
            `gradParts[select(OW0 + i * O0${c.plus} + t, OB0${c.plus} + t, bias) * S + sl] = acc;`,
          )
        : rowsKernel(c, 'let i = g / S; let sl = g % S; let live = g < K0 * S;', product, `gradParts[(OW0 + i * O0${c.plus} + t) * S + sl] = acc;`),
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

/**
 * layerGrads' second part (i above 0): the gradient wrt the A product below, dLin W^T through the relu and dropout
 * of the input, one thread per entry, entry `entry`.
 */
function hiddenGrad(s: WebGpuEpochShape, i: number, entry: string): string {
  const K = `K${i}`;
  return `let idx = ${entry};
    if (idx < N * ${K}) {
      let i = idx / ${K}; let j = idx % ${K};
      ${hiddenGradEntry(s, i)}
    }`;
}

/** Entry idx = (i, j) of the gradient below layer i: dLin's row i @ W's row j, through the input's relu and dropout. */
function hiddenGradEntry(s: WebGpuEpochShape, i: number): string {
  const { dLin, dBelow } = backwardBuffers(s, i);
  const [O, OW] = [`O${i}`, `OW${i}`];
  return `var a = 0.0;
      for (var k = 0u; k < ${O}; k++) { a += ${dLin}[i * ${O} + k] * params[${OW} + j * ${O} + k]; }
      ${dBelow!}[idx] = select(0.0, a * SCALE, ${inputOf(i)}[idx] > 0.0);`;
}

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
function tiledLayerGrads(s: WebGpuEpochShape, i: number, slices: number): Shader {
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

/** The loss kernel: 256 threads a workgroup, LG workgroups over strided rows (lossStatements), writing dz. */
function lossGrad(s: WebGpuEpochShape): Shader {
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

export function epochShaders(s: WebGpuEpochShape): { header: string; shaders: Shader[] } {
  checkEpochShape(s);
  const parameters = parameterSlots(s.layers).count;
  const slices = slicesOf(s.nodes);
  const folded = foldedLayers(s);
  const layers = s.layers.map((_, i) => i);
  const shaders: Shader[] = [
    ...layers.flatMap((i) => [...(linFused(s, i) ? [] : [linear(s, i)]), propagate(s, i)]),
    ...(lossFused(s) ? [] : [lossGrad(s)]),
    ...[...layers].reverse().flatMap((i) => [propagateGrad(s, i, folded, slices), ...(i > 0 && folded.includes(i) ? [] : [layerGrads(s, i, slices)])]),
    {
      // Adam with the article's L2 term folded in (its gradient is weightDecay * p / ||p||), each gradient the sum of
      // its S partial sums, ADAM_SPAN parameters a workgroup. ||p||^2 (of the parameters before the step) is the sum
      // of the previous step's partial sums in squaresIn; each workgroup writes its share of the new one to
      // squaresOut (the runner swaps the two after each dispatch). The first workgroup also adds up the metrics:
      // train loss with the L2 term, validation loss, accuracy.
      name: 'adam',
      bindings: [['gradParts', 'f32', 'read'], ['squaresIn', 'f32', 'read'], ['statParts', 'f32', 'read'], ['params', 'f32', 'read_write'], ['m', 'f32', 'read_write'], ['v', 'f32', 'read_write'], ['scalars', 'f32', 'read_write'], ['squaresOut', 'f32', 'read_write'], ['epoch', 'u32', 'uniform']],
      workgroups: squareSlicesOf(parameters),
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
    },
  ];
  return { header: header(s), shaders };
}
