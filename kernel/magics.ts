// Magics: `%device`, `%device NAME`, `%time CODE`, `%timeit CODE`, `%%time`: how a cell names them, what `%device`
// shows, how `%timeit` times. A line starting with % is never valid TypeScript, so magics cannot collide with code.
import { performance } from 'node:perf_hooks';
import type { DeviceInfo } from 'gcnlab';
import type { MimeBundle } from './wire/messages.js';

/** `line`: the cell's line (0-based) where the code after the magic starts. */
export type Magic =
  | { kind: 'none' }
  | { kind: 'device'; name?: string; rest: string; line: number }
  | { kind: 'time'; code: string; line: number }
  | { kind: 'timeit'; code: string; line: number }
  | { kind: 'unknown'; name: string };

export function parseMagic(cell: string): Magic {
  const match = /^\s*(%%?)(\w+)[ \t]*([^\n]*)(?:\n([\s\S]*))?$/.exec(cell);
  if (!match) return { kind: 'none' };
  const [, sigil, name, args, rest = ''] = match;
  if (sigil === '%%') return name === 'time' ? { kind: 'time', code: rest, line: 1 } : { kind: 'unknown', name: `%%${name}` };
  // The code after a line magic starts on its line where it has arguments, else on the next.
  const line = args ? 0 : 1;
  switch (name) {
    case 'device':
      return { kind: 'device', name: args.trim() || undefined, rest, line: 1 };
    case 'time':
      return { kind: 'time', code: [args, rest].filter(Boolean).join('\n'), line };
    case 'timeit':
      return { kind: 'timeit', code: [args, rest].filter(Boolean).join('\n'), line };
    default:
      return { kind: 'unknown', name: `%${name}` };
  }
}

export const MAGICS = ['%device', '%time', '%timeit', '%%time'];

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

/** IPython's summary: "mean ± std per loop (mean ± std. dev. of R runs, N loops each)". */
export function timeitSummary(perLoopMs: number[], loops: number): string {
  const mean = perLoopMs.reduce((a, b) => a + b, 0) / perLoopMs.length;
  const std = Math.sqrt(perLoopMs.reduce((a, b) => a + (b - mean) ** 2, 0) / perLoopMs.length);
  return `${formatMs(mean)} ± ${formatMs(std)} per loop (mean ± std. dev. of ${perLoopMs.length} runs, ${loops} loop${loops === 1 ? '' : 's'} each)`;
}

/** `%timeit`'s loop, as IPython's: 10^k loops per run until a run takes 200 ms, then up to 7 runs within 3 s. */
export async function timeLoops(once: () => Promise<void>): Promise<string> {
  let loops = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < loops; i++) await once();
    const ms = performance.now() - t0;
    if (ms >= 200 || loops >= 1e6) break;
    loops *= 10;
  }
  const perLoop: number[] = [];
  const budget = performance.now() + 3000;
  for (let r = 0; r < 7 && (r === 0 || performance.now() < budget); r++) {
    const t0 = performance.now();
    for (let i = 0; i < loops; i++) await once();
    perLoop.push((performance.now() - t0) / loops);
  }
  return timeitSummary(perLoop, loops);
}

/** `%device`'s table: every device, the current one starred, what it runs on or why it is unavailable. */
export function deviceTable(devices: readonly DeviceInfo[], current: string, escape: (text: string) => string): MimeBundle {
  const rows = devices.map((d) => [d.name === current ? `* ${d.name}` : `  ${d.name}`, d.available ? 'yes' : 'no', d.available ? d.runsOn ?? '' : d.reason ?? '']);
  const text = rows.map((r) => `${r[0].padEnd(12)} ${r[1].padEnd(4)} ${r[2]}`).join('\n');
  const html = `<table><thead><tr><th>device</th><th>available</th><th>runs on / why not</th></tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  return { 'text/plain': `current device: ${current}\n${text}`, 'text/html': `<p>current device: <b>${escape(current)}</b></p>${html}` };
}
