// The webgpu epochs where no GPU is: every kernel compiles and validates (Dawn's null backend runs the real WGSL
// compiler and pipeline checks, not the kernels), and graphs past the device's limits are refused before allocating.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { CsrMatrix, InvalidOptionError, MemoryLimitError, ShapeError } from '../../src/index.js';
import { checkEpochMemory, epochShaders, WebGpuEpochs, type WebGpuEpochShape as EpochShape } from '../../src/epochs/webgpu/index.js';
import type { DawnRequest } from './dawn-null.js';
import { askChild } from '../helpers/ask-child.js';

const CHILD = fileURLToPath(new URL('./dawn-null.ts', import.meta.url));
const ANSWER_MS = 120_000;

/** dawn-null.ts's answer to `request`; a child that does not answer within ANSWER_MS is killed and tried once more. */
const askDawn = <T>(request: DawnRequest): T => askChild<T>(CHILD, request, { timeoutMs: ANSWER_MS, what: `Dawn's null backend, asked ${request.check},` });

const availability = askDawn<{ available?: true; unavailable?: string }>({ check: 'available' });
const skip = availability.available ? false : (availability.unavailable ?? "Dawn's null backend is not available here");

/** layers[i] of a GCN: inputs x outputs, with bias unless said. */
const layer = (inputs: number, outputs: number, bias = true) => ({ inputs, outputs, bias });

const base: EpochShape = {
  nodes: 2708, layers: [layer(1433, 16), layer(16, 7)], features: 'sparse', adjacency: 'sparse',
  dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-3, trainWeight: 140, valWeight: 500,
};

/** Each shape and the dispatches its epoch takes (2 + 4 per layer, one fewer for each dense A product that also computes the next layer's lin or the loss). */
const shapes: [string, EpochShape, number][] = [
  ['Cora, sparse (its 4 rows past 64 entries a workgroup each, the rest by lanes; its second lin and the loss in the A products before them, the backward of its second layer in the A^T products)', { ...base, longRows: { a: 4, aT: 4 } }, 7],
  ["Cora, sparse, X^T's 185 rows past 64 entries a workgroup each in the first layer's weight gradient, the rest by lanes", { ...base, longRows: { a: 4, aT: 4, xt: 185 } }, 7],
  ['X^T by lanes, no bias, layers of 512 and 96 (blocks of columns in the long rows: no lin after them in their dispatch)', { ...base, layers: [layer(1433, 512, false), layer(512, 96, false), layer(96, 7, false)], longRows: { a: 4, aT: 4, xt: 185 } }, 13],
  ['X^T by lanes at 10^7 nodes (128 slices), no long rows', { ...base, nodes: 10_000_000, layers: [layer(128, 16), layer(16, 7)], longRows: { a: 0, aT: 0, xt: 0 } }, 10],
  ['short rows only (one thread per row and vec4)', { ...base, longRows: { a: 0, aT: 0 } }, 10],
  ['10^6 nodes with long rows: the second lin in the A product before it, the loss in a kernel of its own (past LOSS_FUSED_MAX_NODES rows)', { ...base, nodes: 1_000_000, layers: [layer(128, 16), layer(16, 7)], longRows: { a: 4, aT: 4, xt: 0 } }, 9],
  ['Cora, dense (its second lin and the loss in the A products before them, the backward of its second layer in the A^T products)', { ...base, adjacency: 'dense' }, 7],
  ['widths not a multiple of 4 (scalar lanes), classes of 8 (vec4 lanes)', { ...base, layers: [layer(1433, 10), layer(10, 8)] }, 10],
  ['10^7 nodes (128 slices, 2-D grids)', { ...base, nodes: 10_000_000, layers: [layer(128, 16), layer(16, 7)] }, 10],
  ["the article's three-layer model, dense X and A (the second and third layers' backward in the A^T products)", { ...base, layers: [layer(1433, 16), layer(16, 16), layer(16, 7)], features: 'dense', adjacency: 'dense' }, 9],
  ['three layers of 16 and 10, dense A: two layers of weight sums of two widths beside the first A^T product', { ...base, layers: [layer(1433, 16), layer(16, 10), layer(10, 7)], adjacency: 'dense' }, 9],
  ['four layers, dense A: the second and third layers folded, the fourth in a dispatch of its own (no buffers left)', { ...base, layers: [layer(1433, 8), layer(8, 8), layer(8, 8), layer(8, 7)], adjacency: 'dense' }, 12],
  ['three layers, sparse A with long rows: the second layer folded alone (A^T takes 3 buffers)', { ...base, layers: [layer(1433, 16), layer(16, 16), layer(16, 7)], longRows: { a: 4, aT: 4, xt: 185 } }, 10],
  ['one layer (no hidden layer, no dropout), sparse, no bias', { ...base, layers: [layer(1433, 7, false)], longRows: { a: 4, aT: 4 } }, 5],
  ['three layers without bias, widths 12 and 10, dense X, sparse A', { ...base, layers: [layer(1433, 12, false), layer(12, 10, false), layer(10, 7, false)], features: 'dense' }, 14],
  ['layers of 512 and 96 (blocks of columns within the 16 KiB of workgroup memory every device has: no lin after them in their dispatch), dense A', { ...base, layers: [layer(1433, 512), layer(512, 96), layer(96, 7)], adjacency: 'dense' }, 13],
  ['layers of 512 and 96, dense X, sparse A with long rows', { ...base, layers: [layer(1433, 512), layer(512, 96), layer(96, 7)], features: 'dense', longRows: { a: 4, aT: 4 } }, 13],
  ['hidden 1024 with long rows: 43,328 workgroups of short-row threads past one grid row, the padding workgroups of the 2-D grid idle', { ...base, layers: [layer(1433, 1024), layer(1024, 7)], longRows: { a: 4, aT: 4 } }, 8],
  ['10^7 nodes, hidden layers of 100 (their weight gradients tile by tile, 40 weights a thread) and 200 (past the tiles: a workgroup per weight)', { ...base, nodes: 10_000_000, layers: [layer(128, 100), layer(100, 100), layer(100, 200, false), layer(200, 7)] }, 18],
  ['10^6 nodes, a hidden layer of 4096 to 3 (past one tile row of workgroup memory: a workgroup per weight)', { ...base, nodes: 1_000_000, layers: [layer(128, 4096), layer(4096, 3)] }, 10],
  // Propagated features (the runner's shape where X is dense: [A X | A 1] and the first layer one input wider, its bias W's last row).
  ["the article's three-layer model on propagated features: the first layer one product with the second's lin, the folded layers' sums beside its weight gradient", { ...base, layers: [layer(1434, 16, false), layer(16, 16), layer(16, 7)], features: 'dense', adjacency: 'dense', propagatedFeatures: true }, 7],
  ["the article's three-layer model on propagated CSR features (Cora's A X: X'^T's columns after its row pointers, so the second and third layers still fold)", { ...base, layers: [layer(1433, 16, false), layer(16, 16), layer(16, 7)], features: 'sparse', adjacency: 'dense', propagatedFeatures: true }, 7],
  ['two layers on propagated CSR features, sparse A with long rows', { ...base, layers: [layer(1434, 16, false), layer(16, 7)], features: 'sparse', longRows: { a: 4, aT: 4 }, propagatedFeatures: true }, 5],
  ['two layers on propagated features, sparse A with long rows (the second layer folded)', { ...base, layers: [layer(1434, 16, false), layer(16, 7)], features: 'dense', longRows: { a: 4, aT: 4 }, propagatedFeatures: true }, 5],
  ['propagated features, short rows only (no layer folded: the second layer in dispatches of its own, three fewer than the same shape unpropagated)', { ...base, layers: [layer(1433, 12, false), layer(12, 10, false), layer(10, 7, false)], features: 'dense', longRows: { a: 0, aT: 0 }, propagatedFeatures: true }, 11],
  ['propagated features into a hidden layer of 512 (blocks of columns: the next lin a kernel of its own), dense A', { ...base, layers: [layer(1434, 512, false), layer(512, 96), layer(96, 7)], features: 'dense', adjacency: 'dense', propagatedFeatures: true }, 11],
  ['six layers (five hidden: two vec4s of dropout seeds), sparse, 10^7 nodes', { ...base, nodes: 10_000_000, layers: [layer(128, 16), layer(16, 16), layer(16, 16), layer(16, 16), layer(16, 16), layer(16, 7)] }, 26],
];

for (const [what, shape, dispatches] of shapes) {
  test(`every epoch kernel compiles and makes a pipeline: ${what}`, { skip }, () => {
    const shaders = askDawn<{ name: string; errors: string[]; invalid: string | null }[]>({ check: 'compile', shape });
    assert.equal(shaders.length, dispatches);
    for (const shader of shaders) {
      assert.deepEqual(shader.errors, [], `${shader.name} does not compile`);
      assert.equal(shader.invalid, null, `${shader.name}'s pipeline is invalid`);
    }
  });
}

test("a Dawn device keeps working after full garbage collections (its instance stays referenced; CI once saw a child abort)", { skip }, () => {
  assert.deepEqual(askDawn<{ errors: number }>({ check: 'after-collection' }), { errors: 0 });
});

test('a dense adjacency past one buffer binding, every entry set, is refused with MemoryLimitError before any buffer is made', { skip }, () => {
  const n = 6000; // 6000^2 floats: 144 MB, past the 128 MiB a device binds by default
  const shape: EpochShape = { ...base, nodes: n, layers: [layer(1, 16), layer(16, 2)], adjacency: 'dense' };
  const { binds, error } = askDawn<{ binds: number; error: { name: string; message: string; bytes: number } | null }>({ check: 'dense-past-binding', shape, nodes: n, adjacency: 'full' });
  assert.ok(4 * n * n > binds, `the null device binds ${binds} bytes`);
  assert.equal(error?.name, 'MemoryLimitError');
  assert.match(error.message, /buffer 'adj' \(144 MB; this device binds 134 MB\)/);
  assert.equal(error.bytes, 4 * n * n);
});

test('the same dense adjacency with only its diagonal set is read as CSR (a 6000th of it non-zero), so WebGpuEpochs takes it and its kernels bind', { skip }, () => {
  const n = 6000;
  const shape: EpochShape = { ...base, nodes: n, layers: [layer(1, 16), layer(16, 2)], adjacency: 'dense' };
  const answer = askDawn<{ error: { message: string } | null; adjacencyRead?: Record<string, unknown> }>({ check: 'dense-past-binding', shape, nodes: n, adjacency: 'diagonal' });
  assert.equal(answer.error, null, answer.error?.message);
  assert.deepEqual(answer.adjacencyRead, { given: 'dense', readAs: 'sparse', nonZeroShare: 1 / n });
});

test('the buffers together past GCNLAB_GPU_MEMORY_GB are refused; a bad budget is named', () => {
  const plan = [{ name: 'a', bytes: 2 ** 30, data: null, usage: 0 }, { name: 'b', bytes: 2 ** 30, data: null, usage: 0 }, { name: 'c', bytes: 0, data: null, usage: 0, sameAs: 'a' }];
  const limits = { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 40 };
  assert.doesNotThrow(() => checkEpochMemory(plan, limits, 2 * 2 ** 30));
  assert.throws(() => checkEpochMemory(plan, limits, 1.5 * 2 ** 30), (e: unknown) => e instanceof MemoryLimitError && e.bytes === 2 ** 31 && /would not fit in GPU memory/.test(e.message));
  process.env.GCNLAB_GPU_MEMORY_GB = 'lots';
  try {
    assert.throws(() => checkEpochMemory(plan, limits), (e: unknown) => e instanceof InvalidOptionError && /GCNLAB_GPU_MEMORY_GB "lots"/.test(e.message));
  } finally {
    delete process.env.GCNLAB_GPU_MEMORY_GB;
  }
});

test('a graph in another layout than the shape says, or parameters of another model, are refused with ShapeError before the device is used', async () => {
  const n = 4;
  const shape: EpochShape = { ...base, nodes: n, layers: [layer(3, 4), layer(4, 2)] };
  const graph = {
    features: CsrMatrix.fromDense(n, 3, new Float32Array(n * 3).fill(1)),
    adjacency: CsrMatrix.fromDense(n, n, new Float32Array(n * n).fill(0.25)),
    labels: new Int32Array(n),
    trainMask: new Uint8Array(n).fill(1),
    valMask: new Uint8Array(n),
  };
  const noDevice = {} as GPUDevice;
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof ShapeError && pattern.test(e.message);
  await assert.rejects(WebGpuEpochs.create(noDevice, { ...shape, features: 'dense' }, graph, new Float32Array(3 * 4 + 4 + 4 * 2 + 2)), refused(/features .* has shape sparse but dense/));
  await assert.rejects(WebGpuEpochs.create(noDevice, { ...shape, layers: [layer(5, 4), layer(4, 2)] }, graph, new Float32Array(5 * 4 + 4 + 4 * 2 + 2)), refused(/features .* has shape 4x3 but 4x5/));
  await assert.rejects(WebGpuEpochs.create(noDevice, shape, graph, new Float32Array(7)), refused(/parameters .* has shape 7 but 26 floats/));
});

test("Cora's two-layer GCN: 7 kernels, its 4 hubs a workgroup each beside lanes for the other rows", () => {
  // Threads (t) or workgroups (g) per kernel: X @ W1 by lanes of vec4s; each A product one thread per output entry
  // of the short rows plus one workgroup per row past 64 entries, the forward ones whole rows to a workgroup
  // (2708 / 4 = 677 of 16 columns, then H1 @ W2 for them; 2708 / 9 = 301 of 7, then their loss and metrics), the
  // backward ones whole rows too where the gradient below follows (301 of 7, then dLin W2^T through relu and dropout)
  // and 677 beside the second layer's 16 x 7 + 7 weight and bias sums (119, a workgroup each, in one slice); Adam 1024
  // parameters a workgroup, carrying the squared parameters' sum to the next step (no kernel of its own for either);
  // dW1 = X^T dLin by lanes for X^T's short rows (1433 x 16 / 64 = 359 workgroups), its 185 long rows and db1 a
  // workgroup each (a workgroup for every row took 1434).
  // Before the hubs had their own workgroups, every row took one (2708g).
  const launches = epochShaders({ ...base, longRows: { a: 4, aT: 4, xt: 185 } }).shaders.map((k) => `${k.name} ${k.threads ? `${k.threads}t` : `${k.workgroups}g`}`);
  assert.deepEqual(launches, [
    'featuresTimesW1 10832t', 'propagate1ReluDropoutTimesW2 681g', 'propagate2AndLoss 305g',
    'propagate2GradAndHiddenGrad 305g', 'propagate1GradAndLayer2Grads 800g', 'w1AndB1Grads 545g', 'adam 23g',
  ]);
});
