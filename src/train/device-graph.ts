// A graph uploaded to the current device in the form one run needs: sparse or dense adjacency and features.
import * as tf from '@tensorflow/tfjs-core';
import { defaultDenseLimitBytes, denseAdjacency, denseFeatures, type Graph } from '../data/index.js';
import { InvalidOptionError } from '../errors.js';
import type { AdjacencyMode } from '../events.js';
import type { Adjacency, Features } from '../nn/index.js';
import { sparseMatrix } from '../ops/index.js';

export interface DeviceGraphOptions {
  /** The adjacency as a SparseMatrix (default) or as a dense nodes x nodes tensor, as the article has it. */
  adjacency?: AdjacencyMode;
  /** The features as a SparseMatrix (default: Cora's are 98.7% zeros) or a dense tensor. */
  features?: AdjacencyMode;
  /** Largest dense tensor allowed, in bytes (default: what the host and the device can hold). */
  maxDenseBytes?: number;
}

export interface DeviceGraph {
  /**
   * The graph whose arrays x and adj hold on the device (toDevice makes them from it). The fused engines read its
   * sparse features and its adjacency from here, so a DeviceGraph built by hand must keep the two the same.
   */
  graph: Graph;
  adjacencyMode: AdjacencyMode;
  featuresMode: AdjacencyMode;
  x: Features;
  adj: Adjacency;
  labels: tf.Tensor1D;
  trainMask: tf.Tensor1D;
  valMask: tf.Tensor1D;
  testMask: tf.Tensor1D;
  dispose(): void;
}

const MODES = ['sparse', 'dense'] as const;

/** The most one dense tensor may take on the current backend, before the host's own limit. */
function deviceLimitBytes(): number {
  const backend = tf.getBackend();
  if (backend === 'wasm') return 2 ** 31; // the wasm heap: 32-bit addresses, tfjs-wasm grows it up to 2 GiB
  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device;
    return device?.limits?.maxStorageBufferBindingSize ?? 2 ** 27;
  }
  return Infinity;
}

/** Uploads `graph` to the current device. Dense forms that would not fit throw MemoryLimitError first. */
export function toDevice(graph: Graph, options: DeviceGraphOptions = {}): DeviceGraph {
  const adjacencyMode = options.adjacency ?? 'sparse';
  const featuresMode = options.features ?? 'sparse';
  if (!MODES.includes(adjacencyMode)) throw new InvalidOptionError('adjacency', adjacencyMode, "'sparse' or 'dense'");
  if (!MODES.includes(featuresMode)) throw new InvalidOptionError('features', featuresMode, "'sparse' or 'dense'");
  const maxBytes = options.maxDenseBytes ?? Math.min(defaultDenseLimitBytes(), deviceLimitBytes());
  const n = graph.numNodes;
  const adj: Adjacency =
    adjacencyMode === 'sparse'
      ? sparseMatrix(graph.adjacency)
      : tf.keep(tf.tensor2d(denseAdjacency(graph, { maxBytes, limitOption: 'maxDenseBytes' }), [n, n]));
  let x: Features;
  try {
    x =
      featuresMode === 'sparse'
        ? sparseMatrix(graph.features)
        : tf.keep(tf.tensor2d(denseFeatures(graph, { maxBytes, limitOption: 'maxDenseBytes' }), [n, graph.numFeatures]));
  } catch (error) {
    adj.dispose();
    throw error;
  }
  const labels = tf.keep(tf.tensor1d(graph.labels, 'int32'));
  const mask = (m: Uint8Array) => tf.keep(tf.tensor1d(Float32Array.from(m), 'float32'));
  const trainMask = mask(graph.trainMask);
  const valMask = mask(graph.valMask);
  const testMask = mask(graph.testMask);
  return {
    graph,
    adjacencyMode,
    featuresMode,
    x,
    adj,
    labels,
    trainMask,
    valMask,
    testMask,
    dispose() {
      x.dispose();
      adj.dispose();
      tf.dispose([labels, trainMask, valMask, testMask]);
    },
  };
}
