// How values and errors look in a notebook: MIME bundles for values, ename/evalue/traceback for errors.
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { CELL_PREFIX } from './debugger/index.js';
import type { Gcnlab } from './runtime.js';
import type { ErrorContent, MimeBundle } from './wire/messages.js';

/**
 * The runtime's PLOTLY_MIME, for `display.plotly` before the runtime has loaded (it loads after the first
 * kernel_info reply): typed by the runtime's constant, so a different string is a compile error.
 */
export const PLOTLY_MIME: Gcnlab['PLOTLY_MIME'] = 'application/vnd.plotly.v1+json';

/**
 * A value's rich forms: its own `toMimeBundle()` (or `[Symbol.for('jupyter.mimebundle')]()`), the runtime's forms for
 * tensors, plotly figures and benchmark results, and always text/plain.
 */
export function mimeBundle(value: unknown, runtime?: Gcnlab): MimeBundle {
  const v = value as Record<string | symbol, unknown> | null;
  if (typeof v === 'object' && v !== null) {
    const own = (v[Symbol.for('jupyter.mimebundle')] ?? v.toMimeBundle) as (() => MimeBundle) | undefined;
    if (typeof own === 'function') {
      const bundle = own.call(v);
      return { 'text/plain': plain(value), ...bundle };
    }
    const known = runtime?.toMimeBundle(value);
    if (known) return known;
  }
  return { 'text/plain': plain(value) };
}

function plain(value: unknown): string {
  return typeof value === 'string' ? inspect(value) : inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 });
}

export interface CellSource {
  /** Source of the cell as typed. */
  source: string;
  /** 0-based line of the compiled code -> 0-based line of the cell (-1 when unknown). */
  lines: number[];
  /** What a traceback calls it where its key is a file path (a debug path): cell[N] of the latest cell with its code. */
  name?: string;
}

/** A frame's place in a cell: its debug path (bare or as a file URL), then :line:column. */
const CELL_FRAME = new RegExp(`\\(?((?:file://)?${CELL_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s():]+):(\\d+):(\\d+)\\)?`);

// The kernel's own frames, and the runtime's wrapper that gives each cell its interrupt's AbortSignal.
const INTERNAL = /\((node:|.*\/dist\/kernel\/)|^\s*at (node:|.*\/dist\/kernel\/)|^\s*at new Promise \(<anonymous>\)$|\[as ambientSignal\]/;

/** An error as Jupyter shows it, with frames in cells rewritten to the cells' own line numbers. */
export function errorContent(error: unknown, cells: Map<string, CellSource>): ErrorContent {
  if (!(error instanceof Error)) return { ename: 'Error', evalue: `${inspect(error)} was thrown (not an Error)`, traceback: [`Uncaught ${inspect(error)}`] };
  const ename = error.name || error.constructor?.name || 'Error';
  const evalue = error.message;
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && !INTERNAL.test(l));
  const traceback = [`${ename}: ${evalue}`];
  let shownSource = false;
  for (const frame of frames) {
    const match = CELL_FRAME.exec(frame);
    const key = match && (match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1]);
    const cell = key && cells.get(key);
    if (!match || !cell) {
      traceback.push(frame);
      continue;
    }
    const line = cell.lines[Number(match[2]) - 1] ?? -1;
    if (line < 0) continue;
    const where = frame.replace(match[0], `${cell.name ?? key}, line ${line + 1}`);
    traceback.push(where);
    if (!shownSource) {
      shownSource = true;
      const text = cell.source.split('\n')[line];
      if (text !== undefined) traceback.push(`    --> ${line + 1} | ${text.trim()}`);
    }
  }
  return { ename, evalue, traceback };
}
