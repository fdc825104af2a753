// `gcnlab train`: one training run with the article's hyperparameters, as text or one JSON line.
import { parseArgs } from 'node:util';
import { DATASET_NAMES, loadDataset } from '../data/index.js';
import { currentDevice, useDevice } from '../device/index.js';
import { GCN } from '../nn/index.js';
import { train } from '../train/index.js';
import { choiceOption, integerOption, numberOption } from './options.js';
import { progressBar } from './progress.js';

export async function trainCommand(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      dataset: { type: 'string' },
      device: { type: 'string' },
      adjacency: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      hidden: { type: 'string' },
      dropout: { type: 'string' },
      lr: { type: 'string' },
      'weight-decay': { type: 'string' },
      patience: { type: 'string' },
      'data-dir': { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const dataset = choiceOption('dataset', values.dataset, DATASET_NAMES, 'cora');
  const adjacency = choiceOption('adjacency', values.adjacency, ['sparse', 'dense'] as const, 'sparse');
  const epochs = integerOption('epochs', values.epochs, 200);
  const seed = integerOption('seed', values.seed, 0, 0);
  const hDim = integerOption('hidden', values.hidden, 16);
  const dropout = numberOption('dropout', values.dropout, 0.5);
  const lr = numberOption('lr', values.lr, 0.01);
  const weightDecay = numberOption('weight-decay', values['weight-decay'], 5e-3);
  const patience = values.patience === undefined ? undefined : integerOption('patience', values.patience, 0);
  const threads = values.threads === undefined ? undefined : integerOption('threads', values.threads, 1);
  if (values.device) await useDevice(values.device);
  const graph = await loadDataset(dataset, { dataDir: values['data-dir'] });
  const model = new GCN({ xDim: graph.numFeatures, hDim, outDim: graph.numClasses, dropout, seed });
  const bar = progressBar(epochs, `training ${dataset} on ${currentDevice()} (${adjacency})`);
  let result;
  try {
    result = await train(model, graph, {
      epochs,
      lr,
      weightDecay,
      patience,
      adjacency,
      threads,
      onEpoch: (e) => bar.update(e.epoch, `loss ${e.trainLoss.toFixed(3)} val acc ${e.valAccuracy.toFixed(3)} ${e.epochMs.toFixed(1)} ms`),
    });
  } finally {
    bar.stop();
    model.dispose();
  }
  const summary = {
    dataset,
    device: currentDevice(),
    adjacency,
    threads: result.threads,
    epochs: result.epochs,
    seed,
    testAccuracy: result.testAccuracy,
    testLoss: result.testLoss,
    msPerEpoch: result.meanMs,
    medianMs: result.medianMs,
    p95Ms: result.p95Ms,
    finalTrainLoss: result.history.at(-1)?.trainLoss,
    finalValAccuracy: result.history.at(-1)?.valAccuracy,
  };
  if (values.json) out(JSON.stringify(summary));
  else {
    out(`${dataset} on ${summary.device} (${adjacency} adjacency, ${summary.threads} thread${summary.threads === 1 ? '' : 's'}), ${summary.epochs} epochs`);
    out(`test accuracy ${summary.testAccuracy.toFixed(4)}, ${summary.msPerEpoch.toFixed(2)} ms/epoch (median ${summary.medianMs.toFixed(2)}, p95 ${summary.p95Ms.toFixed(2)})`);
  }
  return 0;
}
