// `gcnlab bench`: the article's benchmark protocol on chosen devices, as a table, a JSON file and an HTML page.
import { Command, Option } from 'commander';
import { benchmark } from '../bench/index.js';
import { DATASET_NAMES, loadDataset, type DatasetName } from '../data/index.js';
import { DEVICE_NAMES, availableDevices, type DeviceName } from '../device/index.js';
import { benchmarkBundle, benchmarkChart, htmlPage } from '../display/index.js';
import { shortDataError } from './data-error.js';
import type { Run } from './run.js';
import { choice, integer, list } from './options.js';
import { checkOutputFile, dataFolder, writeOutputFile } from './paths.js';
import { UsageError } from './usage.js';
import { progressBar } from './progress.js';

interface BenchFlags {
  dataset: DatasetName;
  devices?: DeviceName[];
  adjacency?: ('sparse' | 'dense')[];
  runs: number;
  epochs: number;
  warmup: number;
  seed: number;
  threads?: number;
  dataDir?: string;
  json?: string;
  html?: string;
  verbose: boolean;
}

export function benchCommand(run: Run): Command {
  return new Command('bench')
    .description("the article's benchmark: runs x epochs per device and adjacency, as a table, JSON and HTML")
    .addOption(new Option('--dataset <name>', 'dataset: cora, citeseer or pubmed').default('cora').argParser(choice('dataset', DATASET_NAMES)))
    .addOption(new Option('--devices <list>', `devices, comma-separated (${DEVICE_NAMES.join(', ')}) (default: every available one)`).argParser(list('devices', DEVICE_NAMES)))
    .addOption(new Option('--adjacency <list>', 'adjacency modes, comma-separated (default: sparse,dense)').argParser(list('adjacency', ['sparse', 'dense'] as const)))
    .addOption(new Option('--runs <r>', 'measured runs per row').default(5).argParser(integer('runs', 1, 1000)))
    .addOption(new Option('--epochs <e>', 'measured epochs per run').default(50).argParser(integer('epochs', 1, 100_000)))
    .addOption(new Option('--warmup <w>', 'unmeasured warm-up epochs per row').default(5).argParser(integer('warmup', 0, 100_000)))
    .addOption(new Option('--seed <s>', 'seed of the weights and dropout').default(0).argParser(integer('seed', 0, 2 ** 32 - 1)))
    .addOption(new Option('--threads <t>', "wasm epochs' threads (default: $GCNLAB_THREADS, else every core)").argParser(integer('threads', 1, 1024)))
    .addOption(new Option('--data-dir <dir>', 'folder holding the dataset files (default: $GCNLAB_DATA_DIR, else the bundled Cora or the download cache)').argParser(dataFolder))
    .addOption(new Option('--json <file>', 'write the result as JSON to this file (default: none)'))
    .addOption(new Option('--html <file>', 'write a standalone HTML page with the chart to this file (default: none)'))
    .option('--verbose', 'full errors (download URLs included)', false)
    .action(async (flags: BenchFlags) => {
      checkOutputFile('json', flags.json);
      checkOutputFile('html', flags.html);
      const graph = await loadDataset(flags.dataset, { dataDir: flags.dataDir }).catch((error: unknown) => {
        throw shortDataError(error, flags.dataset, flags.dataDir, flags.verbose);
      });
      // Each device once: `--devices cpu,cpu` would measure cpu twice under one name.
      const chosen = [...new Set(flags.devices ?? (await availableDevices()))];
      const perRow = flags.runs * flags.epochs + flags.warmup;
      const bar = progressBar(chosen.length * (flags.adjacency?.length ?? 2) * perRow, 'benchmark');
      let done = 0;
      const result = await benchmark({
        graph,
        devices: chosen,
        adjacency: flags.adjacency,
        runs: flags.runs,
        epochs: flags.epochs,
        warmup: flags.warmup,
        seed: flags.seed,
        threads: flags.threads,
        onProgress: (p) => {
          bar.update(++done, `${p.device} ${p.adjacency} run ${p.run < 0 ? 'warm-up' : p.run + 1}/${p.runs} epoch ${p.epoch}/${p.epochs}`);
        },
      }).finally(() => bar.stop());
      if (result.rows.length === 0) {
        const why = result.skipped.map((s) => `${s.device}${s.adjacency ? ` (${s.adjacency})` : ''}: ${s.reason}`).join('; ');
        throw new UsageError(`nothing could be measured (${why}); 'gcnlab devices' lists the devices that work here`);
      }
      const table = benchmarkBundle(result);
      run.out(table['text/plain']);
      if (flags.json) writeOutputFile('json', flags.json, `${JSON.stringify(result, null, 2)}\n`, { out: run.out, line: JSON.stringify(result) });
      if (flags.html) writeOutputFile('html', flags.html, htmlPage(`gcnlab benchmark: ${flags.dataset}`, [benchmarkChart(result), table]));
    });
}
