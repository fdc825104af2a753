// What the fused webgpu epochs cost the host, with no GPU: WebGpuEpochs on Dawn's null backend (the real binding,
// validation and encoding; no kernel runs), Cora's four target models (issue 17), `epoch()` called as train() calls
// it (each submitted ahead of the one before's read-back). Prints one JSON line: per tree and model, the dispatches
// an epoch takes and the median µs of a call (the first tenth left out, warm-up).
// --src DIR (repeatable): another checkout's src/ (e.g. a `git worktree` of the base), timed in turn with this
// one's, --repeat times, so that trees compare within one run on a shared machine.
//   node --import tsx bench/epoch-host.ts [--epochs 2000] [--repeat 2] [--src /tmp/base/src]
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timingStats } from '../src/index.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '2000' }, repeat: { type: 'string', default: '1' }, src: { type: 'string', multiple: true, default: [] } } });
const epochs = Number(values.epochs);
const repeat = Number(values.repeat);
if (!(Number.isInteger(epochs) && epochs >= 10) || !(Number.isInteger(repeat) && repeat >= 1)) {
  throw new Error(`epoch-host: --epochs ${values.epochs} and --repeat ${values.repeat} must be whole numbers (at least 10 and 1)`);
}
const trees = [fileURLToPath(new URL('../src', import.meta.url)), ...values.src!.map((dir) => resolve(dir))];

const dawn = createRequire(import.meta.url)('webgpu') as typeof import('webgpu');
Object.assign(globalThis, dawn.globals);
// Kept referenced for the whole run (read again at the end): a Dawn instance that is collected takes its devices with it.
const instance = dawn.create(['backend=null']);
const adapter = await instance.requestAdapter();
if (!adapter) throw new Error("epoch-host: Dawn's null backend gave no adapter");
const device = await adapter.requestDevice();

// The article's (as bench/gpu-rows.ts trains it); WebGpuEpochs counts the masks' rows itself.
const hyper = { dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-3 };
const layer = (inputs: number, outputs: number) => ({ inputs, outputs, bias: true });
const MODELS = [
  { model: '2 layers, sparse X and A', layers: [layer(1433, 16), layer(16, 7)], features: 'sparse', adjacency: 'sparse' },
  { model: '2 layers, sparse X, dense A', layers: [layer(1433, 16), layer(16, 7)], features: 'sparse', adjacency: 'dense' },
  { model: '3 layers, sparse X and A', layers: [layer(1433, 16), layer(16, 16), layer(16, 7)], features: 'sparse', adjacency: 'sparse' },
  { model: "the article's model, dense X and A", layers: [layer(1433, 16), layer(16, 16), layer(16, 7)], features: 'dense', adjacency: 'dense' },
] as const;

/** One tree's epochs of each model: dispatches and median µs a call. */
async function timeTree(src: string) {
  const data = await import(`${src}/data/index.js`);
  const { WebGpuEpochs, parameterSlots } = await import(`${src}/epochs/index.js`);
  const graph = await data.loadCora();
  const rows = [];
  for (const m of MODELS) {
    const epochGraph = {
      features: m.features === 'dense' ? data.denseFeatures(graph) : graph.features,
      adjacency: m.adjacency === 'dense' ? data.denseAdjacency(graph) : graph.adjacency,
      labels: graph.labels,
      trainMask: graph.trainMask,
      valMask: graph.valMask,
    };
    const parameters = new Float32Array(parameterSlots(m.layers).count).fill(0.01);
    const runner = await WebGpuEpochs.create(device, { ...hyper, nodes: graph.numNodes, layers: [...m.layers], features: m.features, adjacency: m.adjacency }, epochGraph, parameters);
    const seeds = () => m.layers.slice(1).map((_, i) => i);
    const times: number[] = [];
    try {
      for (let step = 1; step <= epochs; step++) {
        const t = performance.now();
        await runner.epoch(step, seeds, step < epochs);
        times.push(performance.now() - t);
      }
      // (A tree before the getter reports it through its profile.)
      const dispatchesPerEpoch: number = runner.dispatchesPerEpoch ?? (await runner.profile()).dispatchesPerEpoch;
      // (A tree before firstLayer, or before adjacencyRead, leaves it out.)
      rows.push({ model: m.model, dispatchesPerEpoch, ...(runner.firstLayer ? { firstLayer: runner.firstLayer } : {}), ...(runner.adjacencyRead ? { adjacencyRead: runner.adjacencyRead } : {}), callUs: Number((1000 * timingStats(times.slice(Math.floor(epochs / 10))).medianMs).toFixed(1)) });
    } finally {
      runner.dispose();
    }
  }
  return rows;
}

const runs = [];
for (let k = 1; k <= repeat; k++) for (const src of trees) runs.push({ src, repeat: k, rows: await timeTree(src) });
console.log(JSON.stringify({ kind: 'epoch-host', backend: 'null', epochs, runs }));
device.destroy();
void instance;
process.exit(0);
