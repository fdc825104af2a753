// The synthetic-graph rows of several `bench/gpu.ts --scaling` files as one table: per size, each side's median
// ms/epoch and gcnlab's ratio to the fastest PyTorch row and to JAX; per side, the growth ms ~ nnz^exponent over all
// sizes and over those from --from nodes up. Prints JSON (the README's synthetic table and fits come from it).
//   node --import tsx bench/gpu-scaling-fit.ts [--from N] FILE.json ...
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { powerLawFit } from '../src/bench/index.js';

interface Row {
  impl: string;
  engine: string;
  kind?: string;
  nodes: number;
  adjacencyNonZeros: number;
  medianMs?: number;
  peakGpuMbSmi?: number;
  recoveredFromLog?: string;
}

const { values, positionals: files } = parseArgs({ options: { from: { type: 'string', default: '1000000' } }, allowPositionals: true });
const from = Number(values.from);
if (!files.length || !Number.isFinite(from)) throw new Error('usage: gpu-scaling-fit.ts [--from N] FILE.json ...');

// Timed rows only (not the profiles), a later file's row replacing an earlier one of the same size and side.
const rows = new Map<string, Row & { file: string }>();
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] };
  for (const r of doc.rows) if (r.kind === undefined && typeof r.medianMs === 'number') rows.set(`${r.nodes} ${r.impl}/${r.engine}`, { ...r, file: file.split('/').pop()! });
}
const sides = [...new Set([...rows.values()].map((r) => `${r.impl}/${r.engine}`))];
const sizes = [...new Set([...rows.values()].map((r) => r.nodes))].sort((a, b) => a - b);
const at = (n: number, side: string) => rows.get(`${n} ${side}`);
const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? Number((a / b).toFixed(3)) : null);

const table = sizes.map((n) => {
  const gcnlab = at(n, 'gcnlab/webgpu-fused')?.medianMs;
  const torch = sides.filter((s) => s.startsWith('pytorch/')).map((s) => at(n, s)?.medianMs).filter((x): x is number => x !== undefined);
  const fastestTorch = torch.length ? Math.min(...torch) : undefined;
  return {
    nodes: n,
    medianMs: Object.fromEntries(sides.map((s) => [s, at(n, s)?.medianMs ?? null])),
    peakGpuMbSmi: Object.fromEntries(sides.map((s) => [s, at(n, s)?.peakGpuMbSmi ?? null])),
    gcnlabOverFastestPytorch: ratio(gcnlab, fastestTorch),
    gcnlabOverJax: ratio(gcnlab, at(n, 'jax/jax-segment')?.medianMs),
    recoveredFromLog: sides.filter((s) => at(n, s)?.recoveredFromLog),
    files: [...new Set(sides.map((s) => at(n, s)?.file).filter(Boolean))],
  };
});
const fit = (side: string, min: number) => {
  const mine = sizes.map((n) => at(n, side)).filter((r): r is NonNullable<typeof r> => r !== undefined && r.nodes >= min);
  if (mine.length < 2) return null;
  const f = powerLawFit(mine.map((r) => r.adjacencyNonZeros), mine.map((r) => r.medianMs!));
  return { exponent: Number(f.slope.toFixed(3)), r2: Number(f.r2.toFixed(3)), sizes: mine.length };
};
const fits = sides.map((side) => ({ side, all: fit(side, 0), [`from${from}`]: fit(side, from) }));
console.log(JSON.stringify({ files: files.map((f) => f.split('/').pop()), table, fits }, null, 2));
