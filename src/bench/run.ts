// The article's benchmark protocol (runs x epochs per device and adjacency mode), summarised per row.
import type { Graph } from '../data/index.js';
import { availableDevices, currentDevice, listDevices, useDevice, type DeviceName } from '../device/index.js';
import { GcnlabError, InvalidOptionError } from '../errors.js';
import { emitRuntimeEvent, type AdjacencyMode, type BenchmarkRow } from '../events.js';
import { GCN } from '../nn/index.js';
import { checkOptionNames, type OptionNames } from '../option-names.js';
import { timingStats, train } from '../train/index.js';
import { machineInfo, type MachineInfo } from './machine.js';
import { REFERENCE_PROVENANCE, REFERENCE_TIMINGS, type ReferenceTiming } from './references.js';

export interface BenchmarkOptions {
  graph: Graph;
  /** Devices to measure; default: every available one. Unavailable ones are skipped with their reason. */
  devices?: readonly string[];
  adjacency?: readonly AdjacencyMode[];
  /** Measured runs per row (the article: 5). */
  runs?: number;
  /** Epochs per run (the article: 50). */
  epochs?: number;
  /** Epochs of one unmeasured run first, per row, so compilation and allocation are not timed. */
  warmup?: number;
  hDim?: number;
  dropout?: number;
  lr?: number;
  weightDecay?: number;
  seed?: number;
  /** Threads for the wasm device's fused epochs (train()'s option; default $GCNLAB_THREADS, else every core). */
  threads?: number;
  onProgress?: (progress: BenchmarkProgress) => void;
}

/** Every option benchmark() takes (see checkOptionNames). */
const BENCHMARK_OPTIONS = {
  graph: true, devices: true, adjacency: true, runs: true, epochs: true, warmup: true, hDim: true, dropout: true, lr: true, weightDecay: true,
  seed: true, threads: true, onProgress: true,
} satisfies OptionNames<BenchmarkOptions>;

export interface BenchmarkProgress {
  device: DeviceName;
  adjacency: AdjacencyMode;
  run: number;
  runs: number;
  epoch: number;
  epochs: number;
}

export interface SkippedRow {
  device: string;
  adjacency?: AdjacencyMode;
  reason: string;
}

export interface BenchmarkResult {
  dataset: string;
  createdAt: string;
  machine: MachineInfo;
  protocol: { runs: number; epochs: number; warmup: number; hDim: number; dropout: number; lr: number; weightDecay: number };
  rows: BenchmarkRow[];
  skipped: SkippedRow[];
  references: { provenance: typeof REFERENCE_PROVENANCE; timings: readonly ReferenceTiming[] };
}

function positiveInteger(name: string, value: number, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new InvalidOptionError(name, value, allowZero ? 'an integer >= 0' : 'an integer >= 1');
  }
  return value;
}

/** Runs the protocol on each device and adjacency mode; returns to the device that was current before. */
export async function benchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  checkOptionNames('benchmark()', options, BENCHMARK_OPTIONS);
  const { graph } = options;
  if (options.devices !== undefined && options.devices.length === 0) {
    throw new InvalidOptionError('devices', options.devices, 'at least one device name, or no devices option for every available device');
  }
  const runs = positiveInteger('runs', options.runs ?? 5);
  const epochs = positiveInteger('epochs', options.epochs ?? 50);
  const warmup = positiveInteger('warmup', options.warmup ?? 5, true);
  const protocol = {
    runs,
    epochs,
    warmup,
    hDim: options.hDim ?? 16,
    dropout: options.dropout ?? 0.5,
    lr: options.lr ?? 0.01,
    weightDecay: options.weightDecay ?? 5e-3,
  };
  const modes = options.adjacency ?? ['sparse', 'dense'];
  for (const mode of modes) {
    if (mode !== 'sparse' && mode !== 'dense') throw new InvalidOptionError('adjacency', mode, "'sparse' or 'dense'");
  }
  const known = await listDevices();
  const wanted = options.devices ?? (await availableDevices());
  const rows: BenchmarkRow[] = [];
  const skipped: SkippedRow[] = [];
  const previous = currentDevice();
  try {
    for (const name of wanted) {
      const info = known.find((d) => d.name === name);
      if (!info?.available) {
        skipped.push({ device: name, reason: info ? info.reason ?? 'unavailable' : `unknown device '${name}'` });
        continue;
      }
      await useDevice(info.name);
      for (const adjacency of modes) {
        try {
          rows.push(await measureRow(graph, info.name, adjacency, protocol, options));
        } catch (error) {
          if (!(error instanceof GcnlabError)) throw error;
          skipped.push({ device: name, adjacency, reason: error.message });
        }
      }
    }
  } finally {
    await useDevice(previous);
  }
  emitRuntimeEvent({ type: 'benchmark', rows });
  return {
    dataset: graph.name,
    createdAt: new Date().toISOString(),
    machine: machineInfo(),
    protocol,
    rows,
    skipped,
    references: { provenance: REFERENCE_PROVENANCE, timings: REFERENCE_TIMINGS },
  };
}

async function measureRow(
  graph: Graph,
  device: DeviceName,
  adjacency: AdjacencyMode,
  protocol: BenchmarkResult['protocol'],
  options: BenchmarkOptions,
): Promise<BenchmarkRow> {
  const seed = options.seed ?? 0;
  const runOnce = async (run: number, epochs: number) => {
    const model = new GCN({
      xDim: graph.numFeatures,
      hDim: protocol.hDim,
      outDim: graph.numClasses,
      dropout: protocol.dropout,
      seed: seed + run,
    });
    try {
      return await train(model, graph, {
        epochs,
        lr: protocol.lr,
        weightDecay: protocol.weightDecay,
        adjacency,
        threads: options.threads,
        onEpoch: (e) => options.onProgress?.({ device, adjacency, run, runs: protocol.runs, epoch: e.epoch, epochs }),
      });
    } finally {
      model.dispose();
    }
  };
  if (protocol.warmup > 0) await runOnce(-1, protocol.warmup);
  const epochMs: number[] = [];
  const accuracies: number[] = [];
  let threads = 1;
  for (let run = 0; run < protocol.runs; run++) {
    const result = await runOnce(run, protocol.epochs);
    epochMs.push(...result.history.map((e) => e.epochMs));
    accuracies.push(result.testAccuracy);
    threads = result.threads;
  }
  return {
    device,
    adjacency,
    dataset: graph.name,
    runs: protocol.runs,
    epochs: protocol.epochs,
    ...timingStats(epochMs),
    testAccuracy: accuracies.reduce((s, a) => s + a, 0) / accuracies.length,
    threads,
  };
}
