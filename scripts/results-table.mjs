// Prints a bench/results JSON file (from `npm run bench:peers` or bench/gpu.ts) as the markdown table the README shows.
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
console.log('| impl | device | adjacency | features | threads | median ms/epoch | mean | min | test accuracy | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of result.rows) {
  const impl = r.engine ? `${r.impl} (${r.engine})` : r.impl;
  console.log(
    `| ${impl} | ${r.device} | ${r.adjacency} | ${r.features ?? ''} | ${r.threads ?? ''} | ${fmt(r.medianMs)} | ${fmt(r.msPerEpoch)} | ${fmt(r.minMs)} | ${r.testAccuracy?.toFixed(3) ?? ''} | ${r.peakRssMb ? r.peakRssMb.toFixed(0) : ''} |`,
  );
}
