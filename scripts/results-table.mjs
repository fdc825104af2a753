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
const sized = result.rows.some((r) => r.nodes !== undefined);
const nodes = (r) => (sized ? ` ${r.nodes.toLocaleString('en')} | ${(r.adjacencyNonZeros / 1e6).toFixed(2)} M |` : '');
// Which model a row trained (bench:peers runs the 2-layer 'kipf' GCN and the article's three-layer one), when the
// file says: older results hold one model only.
const modelled = result.rows.some((r) => r.model !== undefined || r.layers !== undefined);
const model = (r) => (modelled ? ` ${[r.model, r.layers ? `${r.layers} layers` : ''].filter(Boolean).join(', ')} |` : '');
console.log(`|${sized ? ' nodes | adjacency non-zeros |' : ''}${modelled ? ' model |' : ''} impl | device | adjacency | features | threads | median ms/epoch | mean | min | test accuracy | peak RSS MB |`);
console.log(`|${sized ? '---|---|' : ''}${modelled ? '---|' : ''}---|---|---|---|---|---|---|---|---|---|`);
for (const r of result.rows) {
  const impl = r.engine ? `${r.impl} (${r.engine})` : r.impl;
  console.log(
    `|${nodes(r)}${model(r)} ${impl} | ${r.device} | ${r.adjacency} | ${r.features ?? ''} | ${r.threads ?? ''} | ${fmt(r.medianMs)} | ${fmt(r.msPerEpoch)} | ${fmt(r.minMs)} | ${r.testAccuracy?.toFixed(3) ?? ''} | ${r.peakRssMb ? r.peakRssMb.toFixed(0) : ''} |`,
  );
}
for (const f of result.fits ?? []) {
  console.log(`\n${f.impl} ${f.device}, features ${f.features}: ms ~ non-zeros^${f.exponent.toFixed(2)} (r2 ${f.r2.toFixed(3)}), ${fmt(f.msPerMillionNonZeros)} ms per million non-zeros`);
}
