// Magics: `%device`, `%device NAME`, `%time CODE`, `%timeit CODE`, `%%time`. A line starting with % is never
// valid TypeScript, so magics cannot collide with code.

export type Magic =
  | { kind: 'none' }
  | { kind: 'device'; name?: string; rest: string }
  | { kind: 'time'; code: string }
  | { kind: 'timeit'; code: string }
  | { kind: 'unknown'; name: string };

export function parseMagic(cell: string): Magic {
  const match = /^\s*(%%?)(\w+)[ \t]*([^\n]*)(?:\n([\s\S]*))?$/.exec(cell);
  if (!match) return { kind: 'none' };
  const [, sigil, name, args, rest = ''] = match;
  if (sigil === '%%') return name === 'time' ? { kind: 'time', code: rest } : { kind: 'unknown', name: `%%${name}` };
  switch (name) {
    case 'device':
      return { kind: 'device', name: args.trim() || undefined, rest };
    case 'time':
      return { kind: 'time', code: [args, rest].filter(Boolean).join('\n') };
    case 'timeit':
      return { kind: 'timeit', code: [args, rest].filter(Boolean).join('\n') };
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
