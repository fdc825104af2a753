// train()'s fast path: whole epochs of the article's 2-layer GCN without tfjs's engine, on webgpu (ops' WebGpuEpochs:
// one GPU submission per epoch) and on cpu and wasm (ops' HostEpochs: JavaScript or WebAssembly SIMD kernels over
// one memory). The parameters are copied in before the first epoch and back into the model's variables after the last.
import * as tf from '@tensorflow/tfjs-core';
import { countMask } from '../data/masks.js';
import type { GCN } from '../nn/index.js';
import { HostEpochs, mixSeed, WebGpuEpochs } from '../ops/index.js';
import { threadCount } from '../ops/wasm/threads/count.js';
import type { DeviceGraph } from './device-graph.js';

export interface FusedEpochs {
  /** Threads the epochs run on (the host's SIMD kernels; 1 elsewhere). */
  threads: number;
  /** One epoch (forward, loss, backward, Adam step `step`): [train loss, validation loss, validation accuracy]. */
  epoch(step: number): Promise<[number, number, number]>;
  /** Writes the trained parameters back into the model's variables. */
  finish(): Promise<void>;
  dispose(): void;
}

export interface FusedHyper {
  /** Threads asked for the wasm device's kernels (undefined: $GCNLAB_THREADS or every core; see threads/count.ts). */
  threads?: number;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

const BACKENDS = ['cpu', 'wasm', 'webgpu'];

/** Whole-epoch training where it applies (cpu, wasm, webgpu; 2 GCN layers with bias; sparse features); else null. */
export async function fusedEpochs(model: GCN, g: DeviceGraph, hyper: FusedHyper): Promise<FusedEpochs | null> {
  const layers = model.gcnLayers.map((l) => l.linear);
  const backend = tf.getBackend();
  if (!BACKENDS.includes(backend) || g.featuresMode !== 'sparse' || layers.length !== 2 || layers.some((l) => !l.bias)) return null;
  const params = model.parameters();
  const values = await Promise.all(params.map((p) => p.data() as Promise<Float32Array>));
  const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  values.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
  const graph = g.graph;
  const adjacency = g.adjacencyMode === 'dense' ? ((await (g.adj as tf.Tensor).data()) as Float32Array) : graph.adjacency;
  const shape = {
    nodes: graph.numNodes,
    features: layers[0].inFeatures,
    hidden: layers[0].outFeatures,
    classes: layers[1].outFeatures,
    dropout: model.dropout,
    lr: hyper.lr,
    beta1: hyper.beta1,
    beta2: hyper.beta2,
    epsilon: hyper.epsilon,
    weightDecay: hyper.weightDecay,
  };
  const host = { features: graph.features, adjacency, labels: graph.labels, trainMask: graph.trainMask, valMask: graph.valMask };
  const seed = () => mixSeed(model.drawDropoutSeed(), 0);

  const writeBack = (trained: Float32Array) => {
    let at = 0;
    for (const p of params) {
      const size = p.size;
      tf.tidy(() => p.assign(tf.tensor(trained.subarray(at, at + size), p.shape)));
      at += size;
    }
  };

  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    if (!device) return null;
    const runner = await WebGpuEpochs.create(
      device,
      {
        ...shape,
        adjacency: g.adjacencyMode,
        trainWeight: countMask(graph.trainMask),
        valWeight: countMask(graph.valMask),
      },
      host,
      flat,
    );
    return {
      threads: 1,
      epoch: (step) => runner.epoch(step, seed()),
      finish: async () => writeBack(await runner.parameters()),
      dispose: () => runner.dispose(),
    };
  }
  let runner: HostEpochs;
  try {
    runner = backend === 'wasm' ? new HostEpochs(shape, host, flat, 'simd', { threads: threadCount(hyper.threads) }) : new HostEpochs(shape, host, flat, 'javascript');
  } catch (error) {
    // Its one memory is a WebAssembly.Memory (at most 4 GiB): a graph beyond that trains through the tape.
    if (error instanceof RangeError) return null;
    throw error;
  }
  return {
    threads: runner.threads,
    epoch: async (step) => runner.epoch(step, seed()),
    finish: async () => writeBack(runner.parameters()),
    dispose: () => runner.dispose(),
  };
}
