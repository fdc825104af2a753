// `gcnlab scale`: ms/epoch on synthetic graphs of growing size, sparse and dense, with the growth fitted.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machineInfo, scalingBenchmark } from '../bench/index.js';
import { DEVICE_NAMES } from '../device/index.js';
import { tableBundle } from '../display/index.js';
import { integerOption, listOption } from './options.js';
import { UsageError } from './usage.js';

export async function scaleCommand(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sizes: { type: 'string' },
      devices: { type: 'string' },
      adjacency: { type: 'string' },
      epochs: { type: 'string' },
      degree: { type: 'string' },
      features: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const sizes = values.sizes?.split(',').map((s) => {
    const n = Number(s.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 10) throw new UsageError(`--sizes: '${s}' is not a node count >= 10`);
    return n;
  });
  const result = await scalingBenchmark({
    sizes,
    devices: listOption('devices', values.devices, DEVICE_NAMES),
    adjacency: listOption('adjacency', values.adjacency, ['sparse', 'dense'] as const),
    epochs: integerOption('epochs', values.epochs, 5),
    avgDegree: integerOption('degree', values.degree, 10),
    features: integerOption('features', values.features, 128),
    onProgress: (p) => process.stderr.write(`scaling: ${p.device} ${p.adjacency} ${p.nodes.toLocaleString('en')} nodes\n`),
  });
  const report = { createdAt: new Date().toISOString(), machine: machineInfo(), ...result };
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  if (values.json) {
    out(JSON.stringify(report));
    return 0;
  }
  out(
    tableBundle(result.points, [
      { header: 'device', value: (p) => p.device },
      { header: 'adjacency', value: (p) => p.adjacency },
      { header: 'nodes', value: (p) => p.nodes },
      { header: 'adjacency nnz', value: (p) => p.adjacencyNonZeros },
      { header: 'ms/epoch', value: (p) => p.medianMs },
    ])['text/plain'],
  );
  for (const f of result.fits) out(`${f.device} ${f.adjacency}: ms ~ nnz^${f.exponent.toFixed(2)} (r2 ${f.r2.toFixed(3)}), ${f.msPerMillionNonZeros.toFixed(1)} ms per million non-zeros`);
  for (const r of result.refused) out(`refused ${r.device} ${r.adjacency} at ${r.nodes.toLocaleString('en')} nodes: ${r.reason}`);
  return 0;
}
