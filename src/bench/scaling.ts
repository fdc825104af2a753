// Scaling runs: ms/epoch on synthetic graphs of growing size, sparse and dense, with the growth fitted.
import { syntheticGraph } from '../data/index.js';
import { availableDevices, currentDevice, useDevice } from '../device/index.js';
import { GcnlabError, InvalidOptionError, MemoryLimitError } from '../errors.js';
import type { AdjacencyMode } from '../events.js';
import { GCN } from '../nn/index.js';
import { timingStats, train } from '../train/index.js';
import { linearFit, powerLawFit, type LinearFit } from './fit.js';

export interface ScalingOptions {
  /** Node counts; default 10^4, 3*10^4, 10^5, 3*10^5, 10^6. */
  sizes?: readonly number[];
  devices?: readonly string[];
  adjacency?: readonly AdjacencyMode[];
  /** Mean degree of the synthetic graphs (default 10) and their feature count (default 128). */
  avgDegree?: number;
  features?: number;
  /** Measured epochs per size (after `warmup` unmeasured ones). */
  epochs?: number;
  warmup?: number;
  seed?: number;
  /** The largest dense adjacency allowed, in bytes, as train()'s option of that name; a larger one is refused. */
  maxDenseBytes?: number;
  onProgress?: (p: { device: string; adjacency: AdjacencyMode; nodes: number }) => void;
}

export interface ScalingMeasurement {
  device: string;
  adjacency: AdjacencyMode;
  nodes: number;
  /** Directed non-zeros of the normalised adjacency, self loops included: the work of one propagation. */
  adjacencyNonZeros: number;
  /** Undirected edges without self loops. */
  edges: number;
  /** Mean and median ms of the measured epochs (the fits use the median). */
  meanMs: number;
  medianMs: number;
  /** Threads the epochs ran on. */
  threads?: number;
}

export interface ScalingRefusal {
  device: string;
  adjacency: AdjacencyMode;
  nodes: number;
  reason: string;
  /** Where memory refused it: what it needed and the limit (null: the device ran out below any limit gcnlab knows). */
  bytes?: number;
  limitBytes?: number | null;
}

export interface ScalingFit {
  device: string;
  adjacency: AdjacencyMode;
  /** Exponent of ms ~ edges^k; 1 = linear. */
  exponent: number;
  /** Milliseconds per million adjacency non-zeros (the linear fit's slope). */
  msPerMillionNonZeros: number;
  /** Sizes fitted: 2 or more. */
  sizes: number;
  /** How well the power law fits the logs; null from 2 sizes, which any line fits exactly. */
  r2: number | null;
}

export interface ScalingResult {
  points: ScalingMeasurement[];
  refused: ScalingRefusal[];
  fits: ScalingFit[];
}

/** Trains briefly on each size, device and mode; refusals (dense too large) are recorded, not thrown. */
export async function scalingBenchmark(options: ScalingOptions = {}): Promise<ScalingResult> {
  const sizes = options.sizes ?? [1e4, 3e4, 1e5, 3e5, 1e6];
  for (const n of sizes) if (!Number.isInteger(n) || n < 10) throw new InvalidOptionError('sizes', n, 'integers >= 10');
  const modes = options.adjacency ?? ['sparse', 'dense'];
  const epochs = options.epochs ?? 5;
  const warmup = options.warmup ?? 1;
  const devices = options.devices ?? (await availableDevices());
  const previous = currentDevice();
  const points: ScalingMeasurement[] = [];
  const refused: ScalingRefusal[] = [];
  try {
    for (const nodes of sizes) {
      const graph = syntheticGraph({ nodes, avgDegree: options.avgDegree ?? 10, features: options.features ?? 128, seed: options.seed ?? 0 });
      for (const device of devices) {
        await useDevice(device);
        for (const adjacency of modes) {
          options.onProgress?.({ device, adjacency, nodes });
          const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, seed: options.seed ?? 0 });
          try {
            const result = await train(model, graph, { epochs: epochs + warmup, adjacency, maxDenseBytes: options.maxDenseBytes });
            const times = result.history.slice(warmup).map((e) => e.epochMs);
            const stats = timingStats(times);
            points.push({
              device,
              adjacency,
              nodes,
              adjacencyNonZeros: graph.adjacency.nnz,
              edges: graph.numEdges,
              meanMs: stats.meanMs,
              medianMs: stats.medianMs,
              threads: result.threads,
            });
          } catch (error) {
            if (!(error instanceof GcnlabError)) throw error;
            const memory = error instanceof MemoryLimitError ? { bytes: error.bytes, limitBytes: error.limitBytes } : {};
            refused.push({ device, adjacency, nodes, reason: error.message, ...memory });
          } finally {
            model.dispose();
          }
        }
      }
    }
  } finally {
    await useDevice(previous);
  }
  return { points, refused, fits: fitGrowth(points) };
}

/** One fit per device and mode that has at least two sizes (median ms per epoch against the adjacency's non-zeros). */
export function fitGrowth(points: readonly ScalingMeasurement[]): ScalingFit[] {
  const keys = [...new Set(points.map((p) => `${p.device}/${p.adjacency}`))];
  return keys.flatMap((key) => {
    const mine = points.filter((p) => `${p.device}/${p.adjacency}` === key);
    if (mine.length < 2) return [];
    const x = mine.map((p) => p.adjacencyNonZeros);
    const y = mine.map((p) => p.medianMs);
    const power: LinearFit = powerLawFit(x, y);
    const line = linearFit(x.map((v) => v / 1e6), y);
    const r2 = mine.length > 2 ? power.r2 : null;
    return [{ device: mine[0].device, adjacency: mine[0].adjacency, exponent: power.slope, msPerMillionNonZeros: line.slope, sizes: mine.length, r2 }];
  });
}
