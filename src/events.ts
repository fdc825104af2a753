// Runtime events: what training, benchmarking and device switches publish, for whoever listens (a progress
// bar, a Jupyter comm, a test). The runtime never knows who listens.
import type { DeviceName } from './device-names.js';

export type AdjacencyMode = 'sparse' | 'dense';

/**
 * How the webgpu engine's A products read A: as given, or a dense A as CSR where few of its entries are non-zero
 * (epochs/webgpu/sparse-adjacency.ts), or a dense A kept as dense rows, and why.
 */
export type AdjacencyRead =
  | { given: 'sparse'; readAs: 'sparse' }
  | { given: 'dense'; readAs: 'sparse'; nonZeroShare: number }
  | { given: 'dense'; readAs: 'dense'; keptBecause: string };

export interface EpochEvent {
  type: 'epoch';
  /** Identifies the training run this epoch belongs to (unique in the process). */
  runId: string;
  device: DeviceName;
  adjacency: AdjacencyMode;
  /** 1-based. */
  epoch: number;
  /** Wall time of the epoch, measured after the device finished its work. */
  epochMs: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
}

/**
 * What ran a training run's epochs: the host's fused whole-epoch engine (cpu, wasm), the webgpu one, or tfjs's
 * autodiff tape kernel by kernel (another backend, a model of the user's own class, fusedEpochs: false).
 */
export type EpochEngine = 'fused-host' | 'fused-webgpu' | 'tape';

export interface RunSummary {
  runId: string;
  dataset: string;
  device: DeviceName;
  adjacency: AdjacencyMode;
  epochs: number;
  meanMs: number;
  medianMs: number;
  p95Ms: number;
  testAccuracy: number;
  /** Threads the epochs ran on (the wasm device's fused epochs on a graph worth splitting; else 1). */
  threads: number;
  /** The engine that ran the epochs. */
  engine: EpochEngine;
  /** Where the tape ran: why no fused engine took the run. */
  tapeReason?: string;
  /**
   * Where the webgpu engine ran: how its A products read A (a dense A that is mostly zeros is read as CSR, so
   * `adjacency: 'dense'` then times the sparse A's kernels), or why a dense A was kept.
   */
  adjacencyRead?: AdjacencyRead;
}

export interface RunEvent {
  type: 'run';
  run: RunSummary;
}

/** One row of a benchmark: a device and adjacency mode measured over several runs. */
export interface BenchmarkRow {
  device: DeviceName;
  adjacency: AdjacencyMode;
  dataset: string;
  runs: number;
  epochs: number;
  meanMs: number;
  stdMs: number;
  medianMs: number;
  minMs: number;
  p95Ms: number;
  testAccuracy: number;
  /** Threads the epochs ran on (the wasm device's fused epochs on a graph worth splitting; else 1). */
  threads?: number;
}

export interface BenchmarkEvent {
  type: 'benchmark';
  rows: BenchmarkRow[];
}

export interface DeviceEvent {
  type: 'device';
  device: DeviceName;
}

export type RuntimeEvent = EpochEvent | RunEvent | BenchmarkEvent | DeviceEvent;

type Listener = (event: RuntimeEvent) => void;
const listeners = new Set<Listener>();

/** Subscribes to every runtime event; returns the function that unsubscribes. */
export function onRuntimeEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Publishes an event; a listener that throws is dropped from the delivery, never breaking the caller. */
export function emitRuntimeEvent(event: RuntimeEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      process.emitWarning(`gcnlab event listener failed: ${(error as Error).message}`);
    }
  }
}
