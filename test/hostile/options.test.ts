// Options a user gets wrong in a notebook: a misspelt name (ignored before, so `{ epoch: 5 }` trained the default
// 200 epochs), a model that does not fit the graph, an absurd depth (a million layers took minutes, then overflowed
// the stack), an empty device list (an empty benchmark before). Each is refused at once with a typed error that
// names the value and the fix, before anything is trained.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  GCN,
  InvalidOptionError,
  MAX_NB_LAYERS,
  MemoryLimitError,
  UnknownOptionError,
  benchmark,
  layerChain,
  loadCora,
  syntheticGraph,
  train,
  type Graph,
  type TrainOptions,
} from '../../src/index.js';
import { DATA_DIR } from '../helpers/data-dir.js';

let cora: Graph;
before(async () => {
  cora = await loadCora({ dataDir: DATA_DIR });
});

const model = (extra: object = {}) => new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: cora.numClasses, ...extra });
const weights = (gcn: GCN) => gcn.parameters().map((p) => Array.from(p.dataSync()));

/** `run` rejects (or throws) `type`, with a message matching each of `patterns`, within `ms`. */
async function refuses(run: () => unknown, type: new (...args: never[]) => Error, patterns: RegExp[], ms = 2000): Promise<void> {
  const started = performance.now();
  await assert.rejects(async () => run(), (error: unknown) => {
    assert.ok(error instanceof type, `${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
  assert.ok(performance.now() - started < ms, `refused after ${(performance.now() - started).toFixed(0)} ms`);
}

describe('options a user gets wrong', () => {
  test("a misspelt train() option is refused with the name it resembles, and the model is not trained", async () => {
    const gcn = model();
    const before = weights(gcn);
    await refuses(() => train(gcn, cora, { epoch: 5 } as TrainOptions), UnknownOptionError, [/train\(\) has no option 'epoch' \(did you mean epochs\?\)/, /its options are .*\bepochs\b/]);
    await refuses(() => train(gcn, cora, { epochs: 1, adjacencyMode: 'dense' } as TrainOptions), UnknownOptionError, [/no option 'adjacencyMode'/]);
    assert.deepEqual(weights(gcn), before);
    gcn.dispose();
  });

  test('a misspelt GCN or benchmark() option is refused the same way', async () => {
    await refuses(() => new GCN({ xDim: 3, hDim: 4, outDim: 2, nbLayer: 2 } as never), UnknownOptionError, [/new GCN\(\) has no option 'nbLayer' \(did you mean nbLayers\?\)/]);
    await refuses(() => benchmark({ graph: cora, device: ['cpu'] } as never), UnknownOptionError, [/benchmark\(\) has no option 'device' \(did you mean devices\?\)/]);
  });

  test('a misspelt loader or synthetic-graph option is refused, not ignored', async () => {
    await refuses(() => loadCora({ datadir: DATA_DIR } as never), UnknownOptionError, [/loadDataset\('cora'\) has no option 'datadir' \(did you mean dataDir\?\)/]);
    await refuses(() => syntheticGraph({ node: 50 } as never), UnknownOptionError, [/syntheticGraph\(\) has no option 'node' \(did you mean nodes\?\)/]);
  });

  test("a model whose input or output does not fit the graph is refused naming the graph's sizes", async () => {
    const narrow = new GCN({ xDim: 10, hDim: 16, outDim: cora.numClasses });
    await refuses(() => train(narrow, cora, { epochs: 1 }), InvalidOptionError, [/invalid xDim 10/, /1433 features of graph 'cora'/, /xDim: graph\.numFeatures/]);
    narrow.dispose();
    const few = new GCN({ xDim: cora.numFeatures, hDim: 16, outDim: 3 });
    await refuses(() => train(few, cora, { epochs: 1 }), InvalidOptionError, [/invalid outDim 3/, /7 classes of graph 'cora'/, /outDim: graph\.numClasses/]);
    few.dispose();
  });

  test('an absurd depth is refused at once, naming the most the model takes', async () => {
    await refuses(() => model({ nbLayers: 1_000_000 }), InvalidOptionError, [/invalid nbLayers 1000000/, new RegExp(`from 0 to ${MAX_NB_LAYERS}`)], 1000);
  });

  test("a deep model refused for memory says so in one readable line", async () => {
    const deep = model({ nbLayers: MAX_NB_LAYERS });
    await refuses(() => train(deep, cora, { epochs: 1, maxEpochBytes: 2 ** 20 }), MemoryLimitError, [/a GCN of 1433 -> 16 \(x1024\) -> 7 on 2708 nodes/]);
    await train(deep, cora, { epochs: 1, maxEpochBytes: 2 ** 20 }).catch((error: Error) => assert.ok(error.message.length < 600, `${error.message.length} characters`));
    deep.dispose();
    assert.equal(layerChain([1433, 16, 16, 7]), '1433 -> 16 -> 16 -> 7');
  });

  test('benchmark() with an empty device list is refused, where it returned no rows', async () => {
    await refuses(() => benchmark({ graph: cora, devices: [], runs: 1, epochs: 1, warmup: 0 }), InvalidOptionError, [/invalid devices \[\]/, /no devices option for every available device/]);
  });
});
