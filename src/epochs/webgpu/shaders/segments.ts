// Dispatches of several parts, and what the workgroup that completes a row does next with it.
import { ROW_GROUP } from './rows.js';
import { MAX_X_GROUPS, type Shader } from './shape.js';
import { type Binding } from './wgsl.js';

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
export function segmentsProgram(name: string, segments: Segment[]): Shader {
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
export interface RowEpilogue {
  code: (lane: string, lanes: number) => string;
  bindings: Binding[];
}

/** An epilogue after rowsStatements' row i (a workgroup's), in uniform control flow; nothing without one. */
export const rowEpilogue = (then?: RowEpilogue): string =>
  then
    ? `
  // The row's entries, stored by other threads of the workgroup, are visible to all of them past storageBarrier.
  storageBarrier();
  if (live) {
    ${then.code('t', ROW_GROUP)}
  }`
    : '';

/** `entry` (which sees j) for j = lane, lane + lanes, ... below `count`: a row's entries over an epilogue's threads. */
export const laneEntries = (lane: string, lanes: number, count: string, entry: string): string => `for (var jj = ${lane}; jj < ${count}; jj += ${lanes}u) {
      let j = jj;
      ${entry}
    }`;
