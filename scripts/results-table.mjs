// Prints a bench/results JSON file (from `npm run bench:peers`, `npm run bench:scaling` or bench/gpu.ts) as the markdown
// table the README shows, with the scaling run's fitted growth under it.
//   node scripts/results-table.mjs bench/results/FILE.json
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/results-table.mjs bench/results/FILE.json');
  process.exit(2);
}
const result = JSON.parse(readFileSync(file, 'utf8'));
if (!Array.isArray(result.rows)) {
  console.error(`results-table: ${file} has no rows (its keys: ${Object.keys(result).join(', ')}); give it a file from npm run bench:peers, npm run bench:scaling or bench/gpu.ts`);
  process.exit(2);
}
const fmt = (x) => (x === undefined || x === null ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const machine = result.machine ?? {};
console.log(`${file}: ${result.date ?? result.createdAt ?? ''}, ${machine.cpu ?? ''}${machine.gpu ? `, ${machine.gpu}` : ''}, ${machine.cores ?? '?'} cores`);
console.log('');
// bench/gpu.ts also records a per-kernel profile and a cpu/webgpu accuracy check beside the timed rows; the table
// holds the timed rows and says what it left out.
const timed = result.rows.filter((r) => r.kind === undefined && (typeof r.medianMs === 'number' || typeof r.msPerEpoch === 'number'));
const untimed = result.rows.length - timed.length;
const sized = timed.some((r) => r.nodes !== undefined);
const nodes = (r) => (sized ? ` ${r.nodes?.toLocaleString('en') ?? ''} | ${r.adjacencyNonZeros === undefined ? '' : `${(r.adjacencyNonZeros / 1e6).toFixed(2)} M`} |` : '');
// Which model a row trained (bench:peers runs the 2-layer 'kipf' GCN and the article's three-layer one), when the
// file says: older results hold one model only.
const modelled = timed.some((r) => r.model !== undefined || r.layers !== undefined);
const model = (r) => (modelled ? ` ${[r.model, r.layers ? `${r.layers} layers` : ''].filter(Boolean).join(', ')} |` : '');
console.log(`|${sized ? ' nodes | adjacency non-zeros |' : ''}${modelled ? ' model |' : ''} impl | device | adjacency | features | threads | median ms/epoch | mean | min | test accuracy | peak RSS MB |`);
console.log(`|${sized ? '---|---|' : ''}${modelled ? '---|' : ''}---|---|---|---|---|---|---|---|---|---|`);
for (const r of timed) {
  const impl = r.engine ? `${r.impl} (${r.engine})` : r.impl;
  const note = r.after ? `, after the ${r.after}` : '';
  console.log(
    `|${nodes(r)}${model(r)} ${impl}${note} | ${r.device} | ${r.adjacency} | ${r.features ?? ''} | ${r.threads ?? ''} | ${fmt(r.medianMs)} | ${fmt(r.msPerEpoch)} | ${fmt(r.minMs)} | ${r.testAccuracy?.toFixed(3) ?? ''} | ${r.peakRssMb ? r.peakRssMb.toFixed(0) : ''} |`,
  );
}
if (untimed > 0) {
  const kinds = [...new Set(result.rows.filter((r) => !timed.includes(r)).map((r) => r.kind ?? 'untimed'))];
  console.log(`\n${untimed} row(s) without a time per epoch left out (${kinds.join(', ')})`);
}
for (const f of result.fits ?? []) {
  console.log(`\n${f.impl} ${f.device}, features ${f.features}: ms ~ non-zeros^${f.exponent.toFixed(2)} (r2 ${f.r2.toFixed(3)}), ${fmt(f.msPerMillionNonZeros)} ms per million non-zeros`);
}
