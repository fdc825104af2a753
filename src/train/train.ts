// train: the article's training loop (Adam, per-epoch validation, early stopping), timed after the device finishes.
import * as tf from '@tensorflow/tfjs-core';
import { currentDevice } from '../device/index.js';
import type { Graph } from '../data/index.js';
import { checkpoint } from '../cancel.js';
import { InvalidOptionError } from '../errors.js';
import { checkOptionNames, type OptionNames } from '../option-names.js';
import { emitRuntimeEvent, type AdjacencyMode, type EpochEvent, type RunSummary } from '../events.js';
import type { GCN } from '../nn/index.js';
import { accuracy, adamState, adamStep, checkThreads, epochMetrics, releaseBufferPool, softmaxCrossEntropy, sumSquares, withBufferRecycling } from '../ops/index.js';
import { toDevice, type DeviceGraph, type DeviceGraphOptions } from './device-graph.js';
import { checkEpochFits } from './epoch-memory.js';
import { fusedEpochs, type FusedEpochs } from './fused-epochs.js';
import { timingStats } from './stats.js';

export interface TrainOptions extends DeviceGraphOptions {
  /** Default 200. */
  epochs?: number;
  /** Adam's learning rate, default 0.01 (the article's). */
  lr?: number;
  /** The article's L2 term: weightDecay * sqrt(sum of squared parameters) added to the loss. Default 5e-3. */
  weightDecay?: number;
  /** Stop after this many epochs without a lower validation loss. Default: never stop early. */
  patience?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Called after every epoch, with the event that is also published through onRuntimeEvent. */
  onEpoch?: (event: EpochEvent) => void;
  /** Dataset name for the run summary; default the graph's name. */
  dataset?: string;
  /**
   * Run each epoch without tfjs's engine (default true, on cpu, wasm and webgpu): one pass over preallocated memory
   * on the host, for any GCN the GCN class builds; one GPU submission per epoch on webgpu. false goes through tfjs's
   * autodiff tape, kernel by kernel, as other backends and models of the user's own class do. The run's summary
   * names the engine that ran (`engine`) and, for the tape, why (`tapeReason`).
   */
  fusedEpochs?: boolean;
  /** Stops the run at the next epoch boundary (as does an ambient signal set with withAbortSignal). */
  signal?: AbortSignal;
  /**
   * Threads for the wasm device's fused epochs (default: $GCNLAB_THREADS, else every core; at most the cores). They
   * start only where the graph has a product worth splitting (10^5 nodes and more, or a dense adjacency). cpu and
   * the tape run on one thread; webgpu runs on the GPU.
   */
  threads?: number;
  /**
   * Most bytes one epoch's arrays may take (the parameters with gradients and Adam's moments, every layer's nodes x
   * width activations); a run past it is refused before anything is allocated. Default: a quarter of this machine's
   * memory, at most 4 GiB on wasm.
   */
  maxEpochBytes?: number;
}

export interface TrainResult extends RunSummary {
  epochs: number;
  /** Every epoch, in order. */
  history: EpochEvent[];
  features: AdjacencyMode;
  stoppedEarly: boolean;
  testLoss: number;
}

/** Every option train() takes (see checkOptionNames). */
const TRAIN_OPTIONS = {
  epochs: true, lr: true, weightDecay: true, patience: true, beta1: true, beta2: true, epsilon: true, onEpoch: true, dataset: true,
  fusedEpochs: true, signal: true, threads: true, maxEpochBytes: true, adjacency: true, features: true, maxDenseBytes: true,
} satisfies OptionNames<TrainOptions>;

let runs = 0;

/** The largest learning rate train() takes: the article's is 0.01; 1 already ends Cora at chance accuracy. */
const MAX_LR = 1000;

function isDeviceGraph(g: Graph | DeviceGraph): g is DeviceGraph {
  return (g as DeviceGraph).adj !== undefined;
}

/** Adam's decay rates: from 0, below 1 (at 1 the bias correction divides by 0). */
function beta(name: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new InvalidOptionError(name, value, 'a number from 0 up to, not including, 1');
  return value;
}

/** A finite number above 0 (an integer where asked), at most `max`. */
function positive(name: string, value: number, integer = false, max = Number.MAX_VALUE): number {
  if (!(value > 0 && value <= max) || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(name, value, integer ? 'a positive integer' : `a number above 0${max < Number.MAX_VALUE ? ` and at most ${max}` : ', finite'}`);
  }
  return value;
}

/** The model's first layer takes the graph's features, and its last gives a logit for each of the graph's classes. */
function checkModelFitsGraph(model: GCN, graph: Graph): void {
  const first = model.gcnLayers[0].linear.inFeatures;
  const last = model.gcnLayers[model.gcnLayers.length - 1].linear.outFeatures;
  const features = graph.features.cols;
  if (first !== features) {
    throw new InvalidOptionError('xDim', first, `the ${features} features of graph '${graph.name}', which the model is trained on: new GCN({ xDim: graph.numFeatures, ... })`);
  }
  if (last < graph.numClasses) {
    throw new InvalidOptionError('outDim', last, `at least the ${graph.numClasses} classes of graph '${graph.name}', which the model is trained on: new GCN({ outDim: graph.numClasses, ... })`);
  }
}

/**
 * Trains `model` on `graph` (a host Graph, uploaded for this run and freed after, or a DeviceGraph to reuse)
 * with Adam. The weight-decay term's gradient, weightDecay * p / ||p||, is folded into the fused Adam step
 * instead of being differentiated through the graph: same numbers, fewer kernels.
 */
export async function train(model: GCN, graph: Graph | DeviceGraph, options: TrainOptions = {}): Promise<TrainResult> {
  checkOptionNames('train()', options, TRAIN_OPTIONS);
  checkModelFitsGraph(model, isDeviceGraph(graph) ? graph.graph : graph);
  const epochs = positive('epochs', options.epochs ?? 200, true);
  // Past MAX_LR the first step's parameters overflow float32 on Cora (1e308, Infinity): the loss ends as NaN.
  const lr = positive('lr', options.lr ?? 0.01, false, MAX_LR);
  const weightDecay = options.weightDecay ?? 5e-3;
  if (!(weightDecay >= 0 && weightDecay <= 1)) throw new InvalidOptionError('weightDecay', weightDecay, 'a number from 0 to 1 (the article uses 5e-3)');
  const patience = options.patience ?? Infinity;
  if (!(patience > 0)) throw new InvalidOptionError('patience', patience, 'a positive number of epochs');
  const adam = { lr, beta1: beta('beta1', options.beta1 ?? 0.9), beta2: beta('beta2', options.beta2 ?? 0.999), epsilon: positive('epsilon', options.epsilon ?? 1e-8) };
  const threads = options.threads === undefined ? undefined : checkThreads('threads', options.threads);
  checkEpochFits(model, isDeviceGraph(graph) ? graph.graph.numNodes : graph.numNodes, options.maxEpochBytes);

  const owned = !isDeviceGraph(graph);
  const g = isDeviceGraph(graph) ? graph : toDevice(graph, options);
  const device = currentDevice();
  const runId = `run-${process.pid}-${++runs}`;
  const dataset = options.dataset ?? g.graph.name;
  const params = model.parameters();
  let state: tf.Tensor1D[] = params.map((p) => tf.keep(adamState(p)));
  // The tape's output is the epoch's metrics vector; only its first entry (the train loss) is differentiated.
  const seed = tf.keep(tf.tensor1d([1, 0, 0]));
  const history: EpochEvent[] = [];
  let best = Infinity;
  let sinceBest = 0;
  let stoppedEarly = false;

  let fused: FusedEpochs | null = null;
  let tapeReason: string | undefined = 'fusedEpochs: false was asked';

  /** One epoch through the tape: the metrics vector's train entry differentiated, then the fused Adam kernel. */
  const tapeEpoch = async (epoch: number): Promise<number[]> => {
    const metrics = withBufferRecycling(() =>
      tf.tidy(() => {
        // Outside the tape: the L2 term's gradient is the Adam kernel's business, not autodiff's.
        const ss = sumSquares(params);
        const { value, grads } = tf.engine().gradients(
          () => epochMetrics(model.apply(g.x, g.adj, { training: true }), g.labels, g.trainMask, g.valMask, ss, weightDecay),
          params,
          seed,
        );
        const next = params.map((p, i) => {
          const r = adamStep(p, grads[i], state[i], ss, { ...adam, step: epoch, weightDecay });
          p.assign(r.param);
          return tf.keep(r.state);
        });
        tf.dispose(state);
        state = next;
        return value;
      }),
    );
    // The read-back is the barrier (the article's mx.eval): the epoch ends when the device has finished.
    const values = Array.from(await metrics.data());
    metrics.dispose();
    return values;
  };

  try {
    if (options.fusedEpochs ?? true) {
      const choice = await fusedEpochs(model, g, { ...adam, weightDecay, threads });
      [fused, tapeReason] = typeof choice === 'string' ? [null, choice] : [choice, undefined];
    }
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = performance.now();
      // The next epoch surely runs unless this is the last, or patience could stop the run after this one.
      const ahead = epoch < epochs && sinceBest + 1 < patience;
      const [trainLoss, valLoss, valAccuracy] = fused ? await fused.epoch(epoch, ahead) : await tapeEpoch(epoch);
      const event: EpochEvent = {
        type: 'epoch',
        runId,
        device,
        adjacency: g.adjacencyMode,
        epoch,
        epochMs: performance.now() - t0,
        trainLoss,
        valLoss,
        valAccuracy,
      };
      history.push(event);
      emitRuntimeEvent(event);
      options.onEpoch?.(event);
      if (valLoss < best) {
        best = valLoss;
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        stoppedEarly = epoch < epochs;
        break;
      }
      // Outside the timed part: the event loop runs between epochs, and an abort stops the run here.
      await checkpoint(options.signal);
    }

    await fused?.finish();
    const test = tf.tidy(() => {
      const yHat = model.apply(g.x, g.adj, { training: false });
      return tf.stack([accuracy(yHat, g.labels, g.testMask), softmaxCrossEntropy(yHat, g.labels, g.testMask)]);
    });
    const [testAccuracy, testLoss] = await test.data();
    test.dispose();

    const { meanMs, medianMs, p95Ms } = timingStats(history.map((e) => e.epochMs));
    const summary: RunSummary = {
      runId,
      dataset,
      device,
      adjacency: g.adjacencyMode,
      epochs: history.length,
      meanMs,
      medianMs,
      p95Ms,
      testAccuracy,
      threads: fused?.threads ?? 1,
      engine: fused?.engine ?? 'tape',
      ...(tapeReason === undefined ? {} : { tapeReason }),
      ...(fused?.adjacencyRead ? { adjacencyRead: fused.adjacencyRead } : {}),
    };
    emitRuntimeEvent({ type: 'run', run: summary });
    return { ...summary, history, features: g.featuresMode, stoppedEarly, testLoss };
  } finally {
    fused?.dispose();
    tf.dispose([...state, seed]);
    releaseBufferPool();
    if (owned) g.dispose();
  }
}
