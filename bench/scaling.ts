// npm run bench:scaling: gcnlab beside PyTorch on synthetic graphs of growing size (default 10^4 to 10^6 nodes, mean
// degree 10, 128 features, the same seed-0 graph on both sides), sparse adjacency, --threads T each (default 1), every row in a
// process of its own; then each one's growth fitted against the adjacency's non-zeros. Prints JSON; --out FILE also
// saves it with the date and the machine. `--locality nearby` numbers the graphs so that neighbours are close in
// memory (syntheticGraph's option), which separates what the kernels cost from what cache misses cost.
// `--repeat N` runs every row N times, one after another (the machine is shared and its load comes and goes), and
// keeps the median of the runs' medians. (`gcnlab scale` is the in-process version for gcnlab alone, dense too.)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableDevices, linearFit, machineInfo, powerLawFit, syntheticGraph, type SyntheticOptions } from '../src/index.js';
import { exportGraph } from './export-graph.js';
import { foldRepeats, lastJsonLine } from './rows.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,30000,100000,300000,1000000' },
    devices: { type: 'string' },
    degree: { type: 'string', default: '10' },
    features: { type: 'string', default: '128' },
    locality: { type: 'string', default: 'random' },
    epochs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    pytorch: { type: 'string', default: 'sparse,sparse-features' },
    python: { type: 'string', default: process.env.GCNLAB_PYTHON ?? '/usr/bin/python3' },
    out: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes!.split(',').map(Number);
for (const n of sizes) if (!Number.isInteger(n) || n < 100) throw new Error(`bench:scaling: --sizes: '${n}' is not a node count >= 100`);
const devices = values.devices ? values.devices.split(',') : (await availableDevices()).filter((d) => d !== 'webgpu');
const pytorchModes = values.pytorch ? values.pytorch.split(',').filter(Boolean) : [];
const counts = ['--runs', '1', '--epochs', values.epochs!, '--warmup', values.warmup!];
const env = { ...process.env, OMP_NUM_THREADS: values.threads, GCNLAB_THREADS: values.threads };

type Row = Record<string, unknown> & { impl: string; device: string; features: string; nodes: number; adjacencyNonZeros: number; medianMs: number };

const repeats = Number(values.repeat);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bench:scaling: --repeat: '${values.repeat}' is not a count >= 1`);
const measured: Row[] = [];
const locality = values.locality as SyntheticOptions['locality'] & string;
for (const nodes of sizes) {
  const graph = syntheticGraph({ nodes, avgDegree: Number(values.degree), features: Number(values.features), locality, seed: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-scaling-'));
  try {
    exportGraph(graph, dir);
    // Each side reports the graph it trained on (gcnlab rebuilds it from the seed): kept as reported, not overwritten.
    const add = (row: Record<string, unknown> | null) => row && measured.push({ edges: graph.numEdges, ...(row as Row) });
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const at = `${nodes.toLocaleString('en')} nodes${repeats > 1 ? ` [${repeat}/${repeats}]` : ''}`;
      for (const device of devices) {
        process.stderr.write(`bench:scaling: gcnlab ${device} ${at}\n`);
        const args = ['--import', 'tsx', join(here, 'gcnlab-row.ts'), '--device', device, '--adjacency', 'sparse', '--synthetic', String(nodes), '--degree', values.degree!, '--features', values.features!, '--locality', locality, ...counts];
        add(lastJsonLine('bench:scaling', `gcnlab ${device} at ${nodes} nodes`, spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 2 ** 26 })));
      }
      for (const mode of pytorchModes) {
        process.stderr.write(`bench:scaling: pytorch ${mode} ${at}\n`);
        const args = [join(here, 'peers.py'), '--data', dir, '--mode', mode, '--threads', values.threads!, ...counts];
        add(lastJsonLine('bench:scaling', `pytorch ${mode} at ${nodes} nodes`, spawnSync(values.python!, args, { env, encoding: 'utf8', maxBuffer: 2 ** 26 })));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = foldRepeats(measured);

/** Per implementation, device and feature layout: ms ~ nnz^exponent, and the straight line's ms per million nnz. */
const keys = [...new Set(rows.map((r) => `${r.impl}/${r.device}/${r.features}`))];
const fits = keys.flatMap((key) => {
  const mine = rows.filter((r) => `${r.impl}/${r.device}/${r.features}` === key);
  if (mine.length < 2) return [];
  const x = mine.map((r) => r.adjacencyNonZeros);
  const y = mine.map((r) => r.medianMs);
  const power = powerLawFit(x, y);
  const line = linearFit(x.map((v) => v / 1e6), y);
  const [impl, device, features] = key.split('/');
  return [{ impl, device, features, exponent: power.slope, r2: power.r2, msPerMillionNonZeros: line.slope, sizes: mine.length }];
});

const report = {
  createdAt: new Date().toISOString(),
  machine: machineInfo(),
  protocol: { graph: 'syntheticGraph seed 0', locality: values.locality, avgDegree: Number(values.degree), features: Number(values.features), adjacency: 'sparse', runs: 1, repeats, epochs: Number(values.epochs), warmup: Number(values.warmup), threads: Number(values.threads), timing: 'median ms per epoch' },
  rows,
  fits,
};
console.log(JSON.stringify(report, null, 2));
if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`bench:scaling: saved ${values.out}\n`);
}
