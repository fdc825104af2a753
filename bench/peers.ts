// npm run bench:peers: gcnlab on every available device (sparse and dense adjacency) beside PyTorch (the article's
// dense model, torch.sparse.mm, and X sparse too), on identical Cora data at the same thread count, in one run; then
// the article's own model (three GCN layers, nbLayers 2, dense X and A, raw features, LINQS split) on both sides,
// gcnlab fused and through the tape, each row naming the engine that ran.
// Each row runs in a child process, one at a time; --repeat N runs the whole set N times, interleaving gcnlab and
// PyTorch (the machine is shared: load comes and goes), and reports each row's median of the runs' medians and its
// minimum. Prints the rows as JSON; --out FILE also saves them with the date and the machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableDevices, DataMissingError, loadCora, type Graph } from '../src/index.js';
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
    /** 'kipf': the 2-layer GCN on the public split (sparse X); 'article': the article's three-layer dense model. */
    models: { type: 'string', default: 'kipf,article' },
  },
});
const protocol = { runs: values.runs!, epochs: values.epochs!, warmup: values.warmup! };
const counts = ['--runs', protocol.runs, '--epochs', protocol.epochs, '--warmup', protocol.warmup];

const loadBefore = loadavg()[0];
const devices = values.devices ? values.devices.split(',') : await availableDevices();
const modes = values.adjacency!.split(',');
const models = values.models!.split(',');
for (const m of models) if (m !== 'kipf' && m !== 'article') throw new Error(`bench:peers: --models: '${m}' is not kipf or article`);
/** The article's model: GCN(nb_layers=2) in its code, dense X and A, the raw 0/1 features, the LINQS files' split. */
const ARTICLE = { nbLayers: '2', split: 'linqs' as 'linqs' | 'planetoid' };
// Child processes get the same thread budget: gcnlab's wasm epochs take GCNLAB_THREADS (tfjs-cpu, the tape and
// tfjs-wasm's own kernels are single-threaded in Node), and PyTorch is told torch.set_num_threads.
const env = { ...process.env, OMP_NUM_THREADS: values.threads, GCNLAB_THREADS: values.threads };
const repeats = Number(values.repeat);
const measured: Row[] = [];
/** A child's row, labelled with the model set it belongs to. */
const keep = (model: string, row: Row | null) => row && measured.push({ model, ...row });

const dataDir = mkdtempSync(join(tmpdir(), 'gcnlab-peers-'));
const articleDir = join(dataDir, 'article');
try {
  exportGraph(await loadCora(), dataDir);
  if (models.includes('article')) exportGraph(await articleCora(), articleDir);
  for (let repeat = 1; repeat <= repeats; repeat++) {
    if (models.includes('kipf')) runKipf(repeat);
    if (models.includes('article')) runArticle(repeat);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Cora as the article reads it (LINQS files and split, raw features). Where the LINQS files cannot be had (no data
 * folder holding them, no network), the Planetoid files with raw features and the public split stand in, and the
 * rows and the saved protocol say so.
 */
async function articleCora(): Promise<Graph> {
  try {
    return await loadCora({ format: 'linqs', normalizeFeatures: false });
  } catch (error) {
    if (!(error instanceof DataMissingError)) throw error;
    process.stderr.write(`bench:peers: the article's LINQS split is missing (${error.message}); its model runs on Planetoid's public split\n`);
    ARTICLE.split = 'planetoid';
    return loadCora({ normalizeFeatures: false });
  }
}

/** The 2-layer GCN (Kipf's, the article's text) on the public split: every device and adjacency, then PyTorch's three forms. */
function runKipf(repeat: number): void {
  for (const device of devices) {
    for (const adjacency of modes) {
      process.stderr.write(`bench:peers: [${repeat}/${repeats}] gcnlab ${device} ${adjacency}\n`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'gcnlab-row.ts'), '--device', device, '--adjacency', adjacency, ...counts], { env, encoding: 'utf8' });
      keep('kipf', lastJsonLine('bench:peers', `gcnlab ${device} ${adjacency}`, r));
    }
  }
  for (const mode of ['sparse-features', 'sparse', 'dense']) {
    process.stderr.write(`bench:peers: [${repeat}/${repeats}] pytorch ${mode}\n`);
    const r = spawnSync(values.python!, [join(here, 'peers.py'), '--data', dataDir, '--mode', mode, '--threads', values.threads!, ...counts], { env, encoding: 'utf8' });
    keep('kipf', lastJsonLine('bench:peers', `pytorch ${mode}`, r));
  }
}

/** The article's three-layer dense model: gcnlab on every device, fused and through the tape, then PyTorch's. */
function runArticle(repeat: number): void {
  for (const device of devices) {
    for (const tape of [false, true]) {
      process.stderr.write(`bench:peers: [${repeat}/${repeats}] gcnlab ${device} article model${tape ? ' (tape)' : ''}\n`);
      const args = ['--device', device, '--adjacency', 'dense', '--feature-layout', 'dense', '--nb-layers', ARTICLE.nbLayers, '--split', ARTICLE.split, '--raw-features'];
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'gcnlab-row.ts'), ...args, ...(tape ? ['--tape'] : []), ...counts], { env, encoding: 'utf8' });
      keep('article', lastJsonLine('bench:peers', `gcnlab ${device} article model`, r));
    }
  }
  process.stderr.write(`bench:peers: [${repeat}/${repeats}] pytorch article model\n`);
  const r = spawnSync(values.python!, [join(here, 'peers.py'), '--data', articleDir, '--mode', 'dense', '--nb-layers', ARTICLE.nbLayers, '--threads', values.threads!, ...counts], { env, encoding: 'utf8' });
  keep('article', lastJsonLine('bench:peers', 'pytorch article model', r));
}

const rows = foldRepeats(measured);

console.log('[\n' + rows.map((row) => '  ' + JSON.stringify(row)).join(',\n') + '\n]');
if (values.out) {
  const machine = { hostname: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.versions.node, loadAverage1m: { before: loadBefore, after: loadavg()[0] } };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), machine, protocol: { ...protocol, repeats, threads: Number(values.threads), dataset: 'cora', models: { kipf: 'nbLayers 1, planetoid public split, features scaled to sum 1', article: `nbLayers 2 (three GCN layers), dense X and A, raw 0/1 features, ${ARTICLE.split === 'linqs' ? 'LINQS split' : "Planetoid's public split (the LINQS files were missing)"}` } }, rows }, null, 2) + '\n');
  process.stderr.write(`bench:peers: saved ${values.out}\n`);
}
