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
const fmt = (x) => (x === undefined || x === null ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const machine = result.machine ?? {};
console.log(`${file}: ${result.date ?? result.createdAt ?? ''}, ${machine.cpu ?? ''}${machine.gpu ? `, ${machine.gpu}` : ''}, ${machine.cores ?? '?'} cores`);
console.log('');
const sized = result.rows.some((r) => r.nodes !== undefined);
const nodes = (r) => (sized ? ` ${r.nodes.toLocaleString('en')} | ${(r.adjacencyNonZeros / 1e6).toFixed(2)} M |` : '');
console.log(`|${sized ? ' nodes | adjacency non-zeros |' : ''} impl | device | adjacency | features | threads | median ms/epoch | mean | min | test accuracy | peak RSS MB |`);
console.log(`|${sized ? '---|---|' : ''}---|---|---|---|---|---|---|---|---|---|`);
for (const r of result.rows) {
  const impl = r.engine ? `${r.impl} (${r.engine})` : r.impl;
  console.log(
    `|${nodes(r)} ${impl} | ${r.device} | ${r.adjacency} | ${r.features ?? ''} | ${r.threads ?? ''} | ${fmt(r.medianMs)} | ${fmt(r.msPerEpoch)} | ${fmt(r.minMs)} | ${r.testAccuracy?.toFixed(3) ?? ''} | ${r.peakRssMb ? r.peakRssMb.toFixed(0) : ''} |`,
  );
}
for (const f of result.fits ?? []) {
  console.log(`\n${f.impl} ${f.device}, features ${f.features}: ms ~ non-zeros^${f.exponent.toFixed(2)} (r2 ${f.r2.toFixed(3)}), ${fmt(f.msPerMillionNonZeros)} ms per million non-zeros`);
}
