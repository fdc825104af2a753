// npm run bench:peers: gcnlab on every available device (sparse and dense adjacency) beside PyTorch (the article's
// dense model, torch.sparse.mm, and X sparse too), on identical Cora data at the same thread count, in one run.
// Each row runs in a child process, one at a time; --repeat N runs the whole set N times, interleaving gcnlab and
// PyTorch (the machine is shared: load comes and goes), and reports each row's median of the runs' medians and its
// minimum. Prints the rows as JSON; --out FILE also saves them with the date and the machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableDevices, loadCora } from '../src/index.js';
import { exportGraph } from './export-graph.js';
import { foldRepeats, lastJsonLine, type Row } from './rows.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    devices: { type: 'string' },
    adjacency: { type: 'string', default: 'sparse,dense' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
    python: { type: 'string', default: process.env.GCNLAB_PYTHON ?? '/usr/bin/python3' },
    out: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const protocol = { runs: values.runs!, epochs: values.epochs!, warmup: values.warmup! };
const counts = ['--runs', protocol.runs, '--epochs', protocol.epochs, '--warmup', protocol.warmup];

const loadBefore = loadavg()[0];
const devices = values.devices ? values.devices.split(',') : await availableDevices();
const modes = values.adjacency!.split(',');
// Child processes get the same thread budget: gcnlab's wasm epochs take GCNLAB_THREADS (tfjs-cpu, the tape and
// tfjs-wasm's own kernels are single-threaded in Node), and PyTorch is told torch.set_num_threads.
const env = { ...process.env, OMP_NUM_THREADS: values.threads, GCNLAB_THREADS: values.threads };
const repeats = Number(values.repeat);
const measured: Row[] = [];
const keep = (row: Row | null) => row && measured.push(row);

const dataDir = mkdtempSync(join(tmpdir(), 'gcnlab-peers-'));
try {
  exportGraph(await loadCora(), dataDir);
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const device of devices) {
      for (const adjacency of modes) {
        process.stderr.write(`bench:peers: [${repeat}/${repeats}] gcnlab ${device} ${adjacency}\n`);
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'gcnlab-row.ts'), '--device', device, '--adjacency', adjacency, ...counts], { env, encoding: 'utf8' });
        keep(lastJsonLine('bench:peers', `gcnlab ${device} ${adjacency}`, r));
      }
    }
    for (const mode of ['sparse-features', 'sparse', 'dense']) {
      process.stderr.write(`bench:peers: [${repeat}/${repeats}] pytorch ${mode}\n`);
      const r = spawnSync(values.python!, [join(here, 'peers.py'), '--data', dataDir, '--mode', mode, '--threads', values.threads!, ...counts], { env, encoding: 'utf8' });
      keep(lastJsonLine('bench:peers', `pytorch ${mode}`, r));
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const rows = foldRepeats(measured);

console.log('[\n' + rows.map((row) => '  ' + JSON.stringify(row)).join(',\n') + '\n]');
if (values.out) {
  const machine = { hostname: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.versions.node, loadAverage1m: { before: loadBefore, after: loadavg()[0] } };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), machine, protocol: { ...protocol, repeats, threads: Number(values.threads), dataset: 'cora', split: 'planetoid public' }, rows }, null, 2) + '\n');
  process.stderr.write(`bench:peers: saved ${values.out}\n`);
}
