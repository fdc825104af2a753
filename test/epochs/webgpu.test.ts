// The webgpu epochs where no GPU is: every kernel compiles and validates (Dawn's null backend runs the real WGSL
// compiler and pipeline checks, not the kernels), and graphs past the device's limits are refused before allocating.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { CsrMatrix, InvalidOptionError, MemoryLimitError } from '../../src/index.js';
import { checkEpochMemory } from '../../src/ops/webgpu/epoch/memory.js';
import { WebGpuEpochs } from '../../src/ops/webgpu/epoch/runner.js';
import { epochShaders, moduleCode, type EpochShape } from '../../src/ops/webgpu/epoch/shaders.js';

/** A GPUDevice of Dawn's null backend, or null where the `webgpu` package cannot make one. */
async function nullDevice(): Promise<GPUDevice | null> {
  try {
    const dawn = createRequire(import.meta.url)('webgpu') as typeof import('webgpu');
    Object.assign(globalThis, dawn.globals);
    const adapter = await dawn.create(['backend=null']).requestAdapter();
    return adapter ? await adapter.requestDevice() : null;
  } catch {
    return null;
  }
}

const device = await nullDevice();
const skip = device ? false : "Dawn's null backend is not available here";

const base: EpochShape = {
  nodes: 2708, features: 1433, hidden: 16, classes: 7, dropout: 0.5, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
  weightDecay: 5e-3, adjacency: 'sparse', trainWeight: 140, valWeight: 500,
};

const shapes: [string, EpochShape][] = [
  ['Cora, sparse (its busiest rows through workgroup-per-row kernels)', { ...base, longestRow: { a: 169, aT: 169 } }],
  ['short rows only (one thread per row and vec4)', { ...base, longestRow: { a: 20, aT: 20 } }],
  ['Cora, dense', { ...base, adjacency: 'dense' }],
  ['widths not a multiple of 4 (scalar lanes), classes of 8 (vec4 lanes)', { ...base, hidden: 10, classes: 8 }],
  ['10^7 nodes (128 slices, 2-D grids)', { ...base, nodes: 10_000_000, features: 128 }],
];

for (const [what, shape] of shapes) {
  test(`every epoch kernel compiles and makes a pipeline: ${what}`, { skip }, async () => {
    const { header, shaders } = epochShaders(shape);
    assert.equal(shaders.length, 12);
    for (const shader of shaders) {
      device!.pushErrorScope('validation');
      const module = device!.createShaderModule({ code: moduleCode(header, shader) });
      const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      assert.deepEqual(errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`), [], `${shader.name} does not compile`);
      device!.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const invalid = await device!.popErrorScope();
      assert.equal(invalid?.message, undefined, `${shader.name}'s pipeline is invalid`);
    }
  });
}

test('a dense adjacency past one buffer binding is refused with MemoryLimitError before any buffer is made', { skip }, async () => {
  const n = 6000; // 6000^2 floats: 144 MB, past the 128 MiB a device binds by default
  const limit = device!.limits.maxStorageBufferBindingSize;
  assert.ok(4 * n * n > limit, `the null device binds ${limit} bytes`);
  const graph = {
    features: CsrMatrix.fromDense(n, 1, new Float32Array(n).fill(1)),
    adjacency: new Float32Array(n * n),
    labels: new Int32Array(n),
    trainMask: new Uint8Array(n).fill(1),
    valMask: new Uint8Array(n),
  };
  const shape = { ...base, nodes: n, features: 1, classes: 2, adjacency: 'dense' as const };
  await assert.rejects(WebGpuEpochs.create(device!, shape, graph, new Float32Array(16 + 16 + 32 + 2)), (error: unknown) => {
    assert.ok(error instanceof MemoryLimitError);
    assert.match(error.message, /buffer 'adj' \(144 MB; this device binds 134 MB\)/);
    assert.equal(error.bytes, 4 * n * n);
    return true;
  });
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
