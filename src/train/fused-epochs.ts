// train()'s fast path: whole epochs of the user's GCN without tfjs's engine, for any layer list: on cpu and wasm
// (HostEpochs: JavaScript or WebAssembly SIMD kernels over one memory) and on webgpu (WebGpuEpochs: one GPU
// submission per epoch). The parameters are copied in before the first epoch and back into the model's variables after
// the last. Where no engine takes the model, the reason why goes into the run's summary and the tape runs.
import * as tf from '@tensorflow/tfjs-core';
import { hiddenLayerCount, HostEpochs, WebGpuEpochs, type EpochGraph, type EpochMetrics, type EpochShape } from '../epochs/index.js';
import type { AdjacencyRead, EpochEngine } from '../events.js';
import { GCN, GCNLayer, Linear } from '../nn/index.js';
import { mixSeed, threadCount } from '../ops/index.js';
import type { DeviceGraph } from './device-graph.js';

export interface FusedEpochs {
  engine: Exclude<EpochEngine, 'tape'>;
  /** Threads the epochs run on (the host's SIMD kernels; 1 elsewhere). */
  threads: number;
  /** How the webgpu engine's A products read A (RunSummary.adjacencyRead). */
  adjacencyRead?: AdjacencyRead;
  /**
   * One epoch (forward, loss, backward, Adam step `step`). `ahead`: epoch(step + 1) surely comes next, so an engine
   * may start it before this one's metrics are back (webgpu does; the results are the same).
   */
  epoch(step: number, ahead: boolean): Promise<EpochMetrics>;
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

const HOST_BACKENDS = ['cpu', 'wasm'];

/** Why the model's own code, not the engine's copy of it, must run: a class that changed how it computes. */
function ownCode(model: GCN): string | null {
  if (Object.getPrototypeOf(model) !== GCN.prototype) return `the model is a ${model.constructor.name}, not a GCN: its own apply() may differ from the GCN the fused engines run`;
  for (const layer of model.gcnLayers) {
    if (Object.getPrototypeOf(layer) !== GCNLayer.prototype || Object.getPrototypeOf(layer.linear) !== Linear.prototype) {
      return `a layer of the model is a ${layer.constructor.name} / ${layer.linear.constructor.name}, not a GCNLayer over a Linear: its own code may differ from the fused engines'`;
    }
  }
  return null;
}

/** Whole-epoch training where an engine takes this model on this backend; else the reason the tape runs. */
export async function fusedEpochs(model: GCN, g: DeviceGraph, hyper: FusedHyper): Promise<FusedEpochs | string> {
  const backend = tf.getBackend();
  if (backend !== 'webgpu' && !HOST_BACKENDS.includes(backend)) return `the ${backend} backend has no fused epoch engine (cpu, wasm and webgpu have)`;
  const custom = ownCode(model);
  if (custom) return custom;
  const shape: EpochShape = {
    nodes: g.graph.numNodes,
    layers: model.gcnLayers.map(({ linear: l }) => ({ inputs: l.inFeatures, outputs: l.outFeatures, bias: l.bias !== null })),
    features: g.featuresMode,
    adjacency: g.adjacencyMode,
    dropout: model.dropout,
    ...hyper,
  };
  const params = model.parameters();
  const values = await Promise.all(params.map((p) => p.data() as Promise<Float32Array>));
  const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  values.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
  const graph = g.graph;
  const dense = async (m: tf.Tensor | unknown) => (await (m as tf.Tensor).data()) as Float32Array;
  const host: EpochGraph = {
    features: g.featuresMode === 'dense' ? await dense(g.x) : graph.features,
    // On webgpu a dense A goes as the CSR it was made from (toDevice densifies graph.adjacency): the engine reads it
    // so where few entries are non-zero, without reading the n^2 tensor back from the GPU and scanning it. The host
    // engines take the dense rows, which on cpu data() gives without a copy.
    adjacency: g.adjacencyMode === 'dense' && backend !== 'webgpu' ? await dense(g.adj) : graph.adjacency,
    labels: graph.labels,
    trainMask: graph.trainMask,
    valMask: graph.valMask,
  };
  // The masks GCN.apply draws: hidden layer i's from mixSeed(callSeed, i).
  const seeds = () => {
    const call = model.drawDropoutSeed();
    return Array.from({ length: hiddenLayerCount(shape) }, (_, i) => mixSeed(call, i));
  };
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
    if (!device) return 'the webgpu backend exposes no GPU device to the fused engine';
    const runner = await WebGpuEpochs.create(device, shape, host, flat);
    return {
      engine: 'fused-webgpu',
      threads: 1,
      adjacencyRead: runner.adjacencyRead,
      epoch: (step, ahead) => runner.epoch(step, seeds, ahead),
      finish: async () => writeBack(await runner.parameters()),
      dispose: () => runner.dispose(),
    };
  }
  let runner: HostEpochs;
  try {
    runner = backend === 'wasm' ? new HostEpochs(shape, host, flat, 'simd', { threads: threadCount(hyper.threads) }) : new HostEpochs(shape, host, flat, 'javascript');
  } catch (error) {
    // Its one memory is a WebAssembly.Memory (at most 4 GiB): a graph beyond that trains through the tape.
    if (error instanceof RangeError) return `the graph does not fit the host engine's one WebAssembly memory (4 GiB at most): ${error.message}`;
    throw error;
  }
  return {
    engine: 'fused-host',
    threads: runner.threads,
    epoch: async (step) => runner.epoch(step, seeds()),
    finish: async () => writeBack(runner.parameters()),
    dispose: () => runner.dispose(),
  };
}
