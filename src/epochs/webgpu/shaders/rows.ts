// Products row by row: a workgroup of threads sharing each long row (dense, or CSR), lanes of threads for short ones.
import { FLAT, LOOP_UNROLL, strided, unrolled } from './loops.js';
import { MAX_X_GROUPS } from './shape.js';
import { type Source } from './wgsl.js';

/** Threads of a rows kernel's workgroup, which share one row (or a slice of one). */
export const ROW_GROUP = 64;

/** Columns a rows kernel's workgroup sums at most: 64 x 64 floats, the 16 KiB of workgroup memory every device has. */
export const ROWS_MAX_WIDTH = 64;

/**
 * A rows kernel's output columns: all w in each workgroup, or (w past ROWS_MAX_WIDTH) `blocks` blocks of `width`
 * columns, the first of its block in cb; `plus` is what a column index adds (' + cb', or nothing).
 */
export interface Columns {
  width: number;
  blocks: number;
  plus: string;
}

export function columnsOf(w: number): Columns {
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
export function rowsProgram(c: Columns, locate: string, scan: string, store: string): string {
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
export const partShared = (c: Columns): string => `var<workgroup> part : array<f32, ${ROW_GROUP * partStride(c.width)}>;`;

/**
 * rowsProgram's statements, for the workgroup numbered `group` among those that run them (t: the thread). Each thread
 * writes its partial row into `part` (thread u's from u * stride); then floor(64 / width) lanes of `width` threads
 * each add up the partial rows of threads lane, lane + lanes, ... column by column, and the first `width` threads
 * the lanes' sums: two steps and three barriers, where a tree over the 64 threads took six of each and its active
 * threads w words each (gpu-2026-12-03-h200-cora-dense-scan-experiment.json: the 2708-row dense products took about
 * 1.2 us more per output column). The same order every run.
 */
export function rowsStatements(c: Columns, group: string, locate: string, scan: string, store: string): string {
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

/**
 * Entries first, first + step, ... of row i of CSR `m` against rows of src (column j of a block: `col(j)`); entry p's
 * column is `column(p)` (in mCol, or where a layout keeps the columns after the row pointers, in mPtr).
 */
export function csrScan(m: string, src: Source, col: (j: number) => string, w: number, first = 't', step = `${ROW_GROUP}u`, column = (p: string) => `${m}Col[${p}]`): string {
  return `let end = ${m}Ptr[i + 1u];
    ${strided('p', `${m}Ptr[i] + ${first}`, 'end', step, (p, live) => `let a = ${m}Val[${p}];
      let r = ${column(p)};
      ${unrolled(w, (j) => `sums[${j}] += select(0.0, a * ${src.at('r', col(j))}, ${live});`)}`)}`;
}

/** Column j of a block of columns (Columns.plus: its first column, cb). */
export const blockColumn = (c: Columns) => (j: number) => `${j}u${c.plus}`;

/** Row i of a dense A or X (`quads` vec4s a row) against rows of src, skipping its zeros. */
export function denseScan(matrix: string, src: Source, c: Columns, quads = 'NQ'): string {
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
export function quadScan(load: (q: string) => string, first: string, end: string, step: string, width: number, add: (r: string, a: string) => string): string {
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

export const ONE_ROW_PER_GROUP = (rows: string) => `let i = g; let sl = 0u; let live = i < ${rows};`;

/** `store` per entry (scalar, with idx the entry) and per vec4 (idx the vec4, entries 4 idx .. 4 idx + 3). */
export interface Store {
  scalar: string;
  vector: string;
}

/**
 * Short rows (the sparse adjacency's and X's, tens of entries): w/4 threads per output row, each one vec4 of its
 * columns (w columns, one thread each, where w is not a multiple of 4), walking the row's entries: the threads of a
 * row read one gathered source row together, 16 bytes each. `store` sees idx (this thread's vec4 or entry), i, t, acc.
 */
export function lanesProgram(rows: string, w: number, m: string, src: string, srcFirst: string, store: Store): { body: string; type: 'f32' | 'vec4<f32>'; lanes: number } {
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
