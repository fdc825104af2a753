// `gcnlab train`: one training run with the article's hyperparameters, as text or one JSON line.
import { Command, Option } from 'commander';
import { DATASET_NAMES, loadDataset, type DatasetName } from '../data/index.js';
import { currentDevice, useDefaultDevice, useDevice } from '../device/index.js';
import { UnknownDeviceError } from '../errors.js';
import { GCN } from '../nn/index.js';
import { train } from '../train/index.js';
import { shortDataError } from './data-error.js';
import { checkHidden } from './memory-budget.js';
import type { Run } from './run.js';
import { nearMiss } from '../near-miss.js';
import { choice, decimal, integer } from './options.js';
import { dataFolder } from './paths.js';
import { progressBar } from './progress.js';
import { UsageError } from './usage.js';

interface TrainFlags {
  dataset: DatasetName;
  device?: string;
  adjacency: 'sparse' | 'dense';
  epochs: number;
  seed: number;
  hidden: number;
  dropout: number;
  lr: number;
  weightDecay: number;
  patience?: number;
  threads?: number;
  dataDir?: string;
  json: boolean;
  verbose: boolean;
}

export function trainCommand(run: Run): Command {
  return new Command('train')
    .description("train the article's GCN once and print its test accuracy and ms per epoch")
    .addOption(new Option('--dataset <name>', 'dataset: cora, citeseer or pubmed').default('cora').argParser(choice('dataset', DATASET_NAMES)))
    .addOption(new Option('--device <name>', 'device to train on, one that gcnlab devices lists (default: the fastest available)'))
    .addOption(new Option('--adjacency <mode>', 'adjacency: sparse or dense').default('sparse').argParser(choice('adjacency', ['sparse', 'dense'] as const)))
    .addOption(new Option('--epochs <n>', 'training epochs').default(200).argParser(integer('epochs', 1, 1_000_000)))
    .addOption(new Option('--seed <s>', 'seed of the weights and dropout').default(0).argParser(integer('seed', 0, 2 ** 32 - 1)))
    .addOption(new Option('--hidden <units>', 'hidden units (hDim)').default(16).argParser(integer('hidden', 1)))
    .addOption(new Option('--dropout <p>', 'dropout probability').default(0.5).argParser(decimal('dropout', { atLeast: 0, below: 1 })))
    .addOption(new Option('--lr <rate>', "Adam's learning rate, > 0 and <= 1").default(0.01).argParser(decimal('lr', { above: 0, atMost: 1 }, 'larger steps diverge: on Cora --lr 10 ends at chance accuracy, 1e30 at a NaN loss')))
    .addOption(new Option('--weight-decay <w>', "the article's weight decay (times the weights' L2 norm), 0 to 1").default(5e-3).argParser(decimal('weight-decay', { atLeast: 0, atMost: 1 }, 'a larger L2 term swamps the data loss: on Cora 0.1 already ends at chance accuracy')))
    .addOption(new Option('--patience <epochs>', 'stop after this many epochs without a better validation loss (default: off)').argParser(integer('patience', 1, 1_000_000)))
    .addOption(new Option('--threads <t>', "wasm epochs' threads (default: $GCNLAB_THREADS, else every core)").argParser(integer('threads', 1, 1024)))
    .addOption(new Option('--data-dir <dir>', 'folder holding the dataset files (default: $GCNLAB_DATA_DIR, else the bundled Cora or the download cache)').argParser(dataFolder))
    .option('--json', 'end with one JSON line', false)
    .option('--verbose', 'full errors (download URLs included)', false)
    .action(async (flags: TrainFlags) => {
      if (flags.device !== undefined) await useDevice(flags.device).catch((error: unknown) => {
        throw withNearMiss(error);
      });
      else await useDefaultDevice();
      const graph = await loadDataset(flags.dataset, { dataDir: flags.dataDir }).catch((error: unknown) => {
        throw shortDataError(error, flags.dataset, flags.dataDir, flags.verbose);
      });
      checkHidden(flags.hidden, graph);
      run.exitCode = await trainOnce(run, graph, flags);
    });
}

async function trainOnce(run: Run, graph: Awaited<ReturnType<typeof loadDataset>>, flags: TrainFlags): Promise<number> {
  const { dataset, adjacency, epochs, seed } = flags;
  const model = new GCN({ xDim: graph.numFeatures, hDim: flags.hidden, outDim: graph.numClasses, dropout: flags.dropout, seed });
  const bar = progressBar(epochs, `training ${dataset} on ${currentDevice()} (${adjacency})`);
  let result;
  try {
    result = await train(model, graph, {
      epochs,
      lr: flags.lr,
      weightDecay: flags.weightDecay,
      patience: flags.patience,
      adjacency,
      threads: flags.threads,
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
    stoppedEarly: result.stoppedEarly,
    engine: result.engine,
    seed,
    testAccuracy: result.testAccuracy,
    testLoss: result.testLoss,
    msPerEpoch: result.meanMs,
    medianMs: result.medianMs,
    p95Ms: result.p95Ms,
    finalTrainLoss: result.history.at(-1)?.trainLoss,
    finalValAccuracy: result.history.at(-1)?.valAccuracy,
  };
  if (flags.json) run.out(JSON.stringify(summary));
  else {
    run.out(`${dataset} on ${summary.device} (${adjacency} adjacency, ${summary.threads} thread${summary.threads === 1 ? '' : 's'}), ${summary.epochs} epoch${summary.epochs === 1 ? '' : 's'}${summary.stoppedEarly ? ` (stopped early: the validation loss had not improved for --patience ${flags.patience} epochs)` : ''}`);
    run.out(`test accuracy ${summary.testAccuracy.toFixed(4)}, ${summary.msPerEpoch.toFixed(2)} ms/epoch (median ${summary.medianMs.toFixed(2)}, p95 ${summary.p95Ms.toFixed(2)})`);
  }
  return 0;
}

/** An unknown --device with the near miss it resembles, if any: 'wsm' (did you mean wasm?). */
function withNearMiss(error: unknown): unknown {
  if (!(error instanceof UnknownDeviceError)) return error;
  const hint = nearMiss(error.device, error.known);
  return hint ? new UsageError(error.message.replace(`'${error.device}'`, (name) => `${name}${hint}`)) : error;
}
