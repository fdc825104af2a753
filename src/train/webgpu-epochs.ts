// train()'s fast path on webgpu: whole epochs of the article's 2-layer GCN as one GPU submission each (ops'
// WebGpuEpochs), the parameters copied in before the first epoch and back into the model's variables after the last.
import * as tf from '@tensorflow/tfjs-core';
import type { GCN } from '../nn/index.js';
import { mixSeed, WebGpuEpochs } from '../ops/index.js';
import type { DeviceGraph } from './device-graph.js';

export interface FusedEpochs {
  /** One epoch (forward, loss, backward, Adam step `step`): [train loss, validation loss, validation accuracy]. */
  epoch(step: number): Promise<[number, number, number]>;
  /** Writes the trained parameters back into the model's variables. */
  finish(): Promise<void>;
  dispose(): void;
}

export interface FusedHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** Whole-epoch training where it applies (webgpu, 2 GCN layers with bias, sparse features); null elsewhere. */
export async function webgpuEpochs(model: GCN, g: DeviceGraph, hyper: FusedHyper): Promise<FusedEpochs | null> {
  const layers = model.gcnLayers.map((l) => l.linear);
  if (tf.getBackend() !== 'webgpu' || g.featuresMode !== 'sparse' || layers.length !== 2 || layers.some((l) => !l.bias)) return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) return null;
  const params = model.parameters();
  const values = await Promise.all(params.map((p) => p.data() as Promise<Float32Array>));
  const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  values.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
  const graph = g.graph;
  const adjacency = g.adjacencyMode === 'dense' ? ((await (g.adj as tf.Tensor).data()) as Float32Array) : graph.adjacency;
  const runner = await WebGpuEpochs.create(
    device,
    {
      nodes: graph.numNodes,
      features: layers[0].inFeatures,
      hidden: layers[0].outFeatures,
      classes: layers[1].outFeatures,
      adjacency: g.adjacencyMode,
      trainWeight: graph.trainMask.reduce((s, x) => s + x, 0),
      valWeight: graph.valMask.reduce((s, x) => s + x, 0),
      dropout: model.dropout,
      ...hyper,
    },
    { features: graph.features, adjacency, labels: graph.labels, trainMask: graph.trainMask, valMask: graph.valMask },
    flat,
  );
  return {
    epoch: (step) => runner.epoch(step, mixSeed(model.drawDropoutSeed(), 0)),
    async finish() {
      const trained = await runner.parameters();
      let at = 0;
      for (const p of params) {
        const size = p.size;
        tf.tidy(() => p.assign(tf.tensor(trained.subarray(at, at + size), p.shape)));
        at += size;
      }
    },
    dispose: () => runner.dispose(),
  };
}
