// `gcnlab bench`: the article's benchmark protocol on chosen devices, as a table, a JSON file and an HTML page.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchmark } from '../bench/index.js';
import { DATASET_NAMES, loadDataset } from '../data/index.js';
import { DEVICE_NAMES, availableDevices } from '../device/index.js';
import { benchmarkBundle, benchmarkChart, htmlPage } from '../display/index.js';
import { choiceOption, integerOption, listOption } from './options.js';
import { progressBar } from './progress.js';

export async function benchCommand(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      dataset: { type: 'string' },
      devices: { type: 'string' },
      adjacency: { type: 'string' },
      runs: { type: 'string' },
      epochs: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
    },
  });
  const dataset = choiceOption('dataset', values.dataset, DATASET_NAMES, 'cora');
  const devices = listOption('devices', values.devices, DEVICE_NAMES);
  const adjacency = listOption('adjacency', values.adjacency, ['sparse', 'dense'] as const);
  const runs = integerOption('runs', values.runs, 5);
  const epochs = integerOption('epochs', values.epochs, 50);
  const warmup = integerOption('warmup', values.warmup, 5, 0);
  const seed = integerOption('seed', values.seed, 0, 0);
  const threads = values.threads === undefined ? undefined : integerOption('threads', values.threads, 1);
  const graph = await loadDataset(dataset, { dataDir: values['data-dir'] });
  const chosen = devices ?? (await availableDevices());
  const perRow = runs * epochs + warmup;
  const bar = progressBar(chosen.length * (adjacency?.length ?? 2) * perRow, 'benchmark');
  let done = 0;
  const result = await benchmark({
    graph,
    devices: chosen,
    adjacency,
    runs,
    epochs,
    warmup,
    seed,
    threads,
    onProgress: (p) => {
      bar.update(++done, `${p.device} ${p.adjacency} run ${p.run < 0 ? 'warm-up' : p.run + 1}/${p.runs} epoch ${p.epoch}/${p.epochs}`);
    },
  }).finally(() => bar.stop());
  const table = benchmarkBundle(result);
  out(table['text/plain']);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.html) writeFileSync(values.html, htmlPage(`gcnlab benchmark: ${dataset}`, [benchmarkChart(result), table]));
  return result.rows.length > 0 ? 0 : 1;
}
