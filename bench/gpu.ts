// The GPU comparison, bundled for the device machine (../shared/tools/device-carry.sh bench/gpu.ts): gcnlab's
// webgpu device, checked against cpu and trained on Cora, beside PyTorch CUDA (dense, torch.sparse.mm, X sparse).
//   --smoke     kernels agree with cpu; fused whole epochs and the tape, 200 epochs each: same first losses, accuracy
//               >= 0.79, times; no PyTorch
//   (default)   the bench:peers protocol for webgpu, then PyTorch CUDA; prints and writes JSON (--out FILE)
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CsrMatrix, GCN, loadCora, sparseMatrix, spmm, train, useDevice, reluDropout, softmaxCrossEntropy, accuracy, adamStep, sumSquares, matMul, adjacencyMatMul, epochMetrics } from '../src/index.js';
import { exportGraph } from './export-graph.js';
import { gcnlabRow } from './gcnlab-row.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
    python: { type: 'string', default: 'python3' },
    out: { type: 'string' },
  },
});
const log = (...a: unknown[]) => console.error('[gpu]', ...a);

/** Runs the same kernels on cpu and webgpu and returns the largest relative difference of each. */
async function agreement(): Promise<Record<string, number>> {
  const rnd = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * ((i * 7 + seed) % 3 === 0 ? 0 : 1));
  const dense = rnd(50 * 40, 1);
  const csr = CsrMatrix.fromDense(50, 40, dense);
  const results: Record<string, Float32Array>[] = [];
  for (const device of ['cpu', 'webgpu']) {
    await useDevice(device);
    const a = sparseMatrix(csr);
    const adjacency = tf.tensor2d(dense, [50, 40]);
    const r = tf.tidy(() => {
      const b = tf.tensor2d(rnd(40 * 16, 2), [40, 16]);
      const bias = tf.tensor1d(rnd(16, 3));
      const w = tf.tensor2d(rnd(50 * 16, 4), [50, 16]);
      const labels = tf.tensor1d(Int32Array.from({ length: 50 }, (_, i) => i % 16), 'int32');
      const mask = tf.tensor1d(Float32Array.from({ length: 50 }, (_, i) => i % 3 === 0 ? 1 : 0));
      const [db, dbias] = tf.grads((x: tf.Tensor, y: tf.Tensor) => spmm(a, x as tf.Tensor2D, y as tf.Tensor1D))([b, bias], w);
      const logits = spmm(a, b, bias);
      const [dz] = tf.grads((z: tf.Tensor) => softmaxCrossEntropy(z as tf.Tensor2D, labels, mask))([logits]);
      const adam = adamStep(b, db, tf.abs(tf.concat([tf.reshape(b, [-1]), tf.reshape(b, [-1])])) as tf.Tensor1D, tf.scalar(0.3), { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 2, weightDecay: 0.05 });
      const [dh] = tf.grads((h: tf.Tensor) => adjacencyMatMul(adjacency, h as tf.Tensor2D))([b], w);
      return {
        spmm: logits,
        spmmGradB: db,
        spmmGradBias: dbias,
        matMul: matMul(w, b, { transposeB: true }),
        adjacencyGrad: dh,
        reluDropout: reluDropout(w, 0.5, 77),
        crossEntropy: softmaxCrossEntropy(logits, labels, mask),
        crossEntropyGrad: dz,
        accuracy: accuracy(logits, labels, mask),
        sumSquares: sumSquares([b, bias]),
        adamParam: adam.param,
        adamState: adam.state,
        epochMetrics: epochMetrics(logits, labels, mask, tf.sub(1, mask) as tf.Tensor1D, tf.scalar(2), 0.1),
      };
    });
    const read: Record<string, Float32Array> = {};
    // webgpu reads back asynchronously only (dataSync needs OffscreenCanvas, which Node lacks).
    for (const [key, t] of Object.entries(r)) read[key] = (await t.data()) as Float32Array;
    tf.dispose(Object.values(r));
    a.dispose();
    adjacency.dispose();
    results.push(read);
  }
  const diff: Record<string, number> = {};
  for (const key of Object.keys(results[0])) {
    const [c, g] = [results[0][key], results[1][key]];
    diff[key] = c.length !== g.length ? Infinity : Math.max(0, ...Array.from(c, (x, i) => Math.abs(x - g[i]) / (1 + Math.abs(x))));
  }
  return diff;
}

const started = Date.now();
const info = await useDevice('webgpu');
log('webgpu runs on', info.runsOn);
if (values.profile) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const x = tf.ones([2708, 16]) as tf.Tensor2D;
  const lat: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const y = tf.tidy(() => tf.sum(reluDropout(x, 0, 1)));
    await y.data();
    y.dispose();
    lat.push(performance.now() - t0);
  }
  log('one dispatch + sum + read-back, median ms', median(lat.slice(10)).toFixed(3));
  for (const n of [10, 40]) {
    const enc: number[] = [];
    const tot: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      const y = tf.tidy(() => {
        let h = x;
        for (let k = 0; k < n; k++) h = reluDropout(h, 0, 1);
        return tf.sum(h);
      });
      const t1 = performance.now();
      await y.data();
      y.dispose();
      enc.push(t1 - t0);
      tot.push(performance.now() - t0);
    }
    log(`${n} dispatches: encode median ${median(enc.slice(10)).toFixed(3)} ms, with read-back ${median(tot.slice(10)).toFixed(3)} ms`);
  }
  const graph = await loadCora();
  const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, seed: 0 });
  const kernels = new Map<string, number>();
  const stop = (tf as unknown as { getKernelsForBackend(b: string): tf.KernelConfig[] }).getKernelsForBackend('webgpu');
  for (const k of stop) {
    const f = k.kernelFunc;
    (k as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      kernels.set(k.kernelName, (kernels.get(k.kernelName) ?? 0) + 1);
      return f(args);
    };
  }
  await train(model, graph, { epochs: 5 });
  kernels.clear();
  const r = await train(model, graph, { epochs: 50 });
  log('kernels per epoch', JSON.stringify(Object.fromEntries([...kernels].map(([k, v]) => [k, v / 50]))), 'median ms', r.medianMs.toFixed(2));
  for (const batch of [15, 1000, 15, 1000]) {
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', batch);
    const q = await train(model, graph, { epochs: 50 });
    log(`submit batch ${batch}: median ${q.medianMs.toFixed(2)} ms, mean ${q.meanMs.toFixed(2)}`);
  }
} else if (values.smoke) {
  log('agreement with cpu (max relative difference):', JSON.stringify(await agreement()));
  const graph = await loadCora();
  await useDevice('webgpu');
  // Fused whole epochs against the tape, same seed: the same masks and numbers, then accuracy and time.
  for (const adjacency of ['sparse', 'dense'] as const) {
    for (const fusedEpochs of [true, false]) {
      const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, seed: 0 });
      try {
        const r = await train(model, graph, { epochs: 200, adjacency, fusedEpochs });
        const last50 = [...r.history.slice(-50).map((e) => e.epochMs)].sort((a, b) => a - b)[25];
        const first = r.history.slice(0, 3).map((e) => [e.trainLoss, e.valLoss, e.valAccuracy].map((x) => x.toFixed(5)).join('/'));
        log(`${adjacency} ${fusedEpochs ? 'fused' : 'tape'}: 200 epochs, test accuracy ${r.testAccuracy.toFixed(3)}, median ${r.medianMs.toFixed(2)} ms/epoch, last-50 median ${last50.toFixed(2)}; first epochs ${first.join(' ')}; last ${r.history[199].trainLoss.toFixed(5)}`);
      } catch (error) {
        log(`${adjacency} ${fusedEpochs ? 'fused' : 'tape'} FAILED: ${(error as Error).message}`);
      } finally {
        model.dispose();
      }
    }
  }
  // The floor under any epoch: one submission whose only command is the 16-byte copy, and its read-back.
  const gpu = (tf.backend() as unknown as { device: GPUDevice }).device;
  const src = gpu.createBuffer({ size: 16, usage: 0x80 | 0x4 });
  const dst = gpu.createBuffer({ size: 16, usage: 0x1 | 0x8 });
  const lat: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const encoder = gpu.createCommandEncoder();
    encoder.copyBufferToBuffer(src, 0, dst, 0, 16);
    gpu.queue.submit([encoder.finish()]);
    await dst.mapAsync(1);
    dst.unmap();
    lat.push(performance.now() - t0);
  }
  log(`empty submission + 16-byte read-back: median ${[...lat.slice(10)].sort((a, b) => a - b)[25].toFixed(3)} ms`);
  log(`smoke done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else {
  const counts = { runs: Number(values.runs), epochs: Number(values.epochs), warmup: Number(values.warmup) };
  const rows: Record<string, unknown>[] = [];
  // The fused whole-epoch path (what train() does on webgpu), then tfjs's tape for comparison in the same run.
  for (const tape of [false, true]) {
    for (const adjacency of ['sparse', 'dense'] as const) {
      try {
        const row = await gcnlabRow({ device: 'webgpu', adjacency, tape, ...counts });
        log(JSON.stringify(row));
        rows.push({ ...row });
      } catch (error) {
        log(`gcnlab webgpu ${adjacency} ${tape ? 'tape' : 'fused'} failed: ${(error as Error).message}`);
      }
    }
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'peers.py'), join(here, '..', 'bench', 'peers.py')].find((p) => existsSync(p))!;
  const dataDir = mkdtempSync(join(tmpdir(), 'gcnlab-gpu-'));
  exportGraph(await loadCora(), dataDir);
  for (const mode of ['sparse-features', 'sparse', 'dense']) {
    const r = spawnSync(values.python!, [script, '--data', dataDir, '--mode', mode, '--device', 'cuda', '--threads', String(cpus().length), '--runs', values.runs!, '--epochs', values.epochs!, '--warmup', values.warmup!], { encoding: 'utf8' });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    try {
      rows.push(JSON.parse(last));
      log(last);
    } catch {
      log(`pytorch ${mode} failed (exit ${r.status}):`, r.stderr.trim().split('\n').slice(-5).join(' | '));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  const doc = { date: new Date().toISOString(), machine: { hostname: hostname(), cpu: cpus()[0]?.model, cores: cpus().length, gpu: info.runsOn, node: process.versions.node }, protocol: { ...counts, dataset: 'cora', split: 'planetoid public' }, rows };
  console.log(JSON.stringify(doc, null, 2));
  if (values.out) writeFileSync(values.out, JSON.stringify(doc, null, 2) + '\n');
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(0);
