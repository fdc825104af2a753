// The webgpu epochs where no GPU is: every kernel compiles and validates (Dawn's null backend runs the real WGSL
// compiler and pipeline checks, not the kernels), and graphs past the device's limits are refused before allocating.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { InvalidOptionError, MemoryLimitError } from '../../src/index.js';
import { checkEpochMemory, type WebGpuEpochShape as EpochShape } from '../../src/epochs/webgpu/index.js';
import type { DawnRequest } from './dawn-null.js';

const CHILD = fileURLToPath(new URL('./dawn-null.ts', import.meta.url));
const ANSWER_MS = 120_000;

/** dawn-null.ts's answer to `request`; a child that does not answer within ANSWER_MS is killed and tried once more. */
function askDawn<T>(request: DawnRequest): T {
  for (let attempt = 1; ; attempt++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(request)], { encoding: 'utf8', timeout: ANSWER_MS });
    if (child.status === 0) return JSON.parse(child.stdout) as T;
    const why = child.error?.message ?? `exit ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`;
    if (attempt === 2 || child.error === undefined) throw new Error(`Dawn's null backend did not answer ${request.check} (attempt ${attempt}): ${why}`);
  }
}

const availability = askDawn<{ available?: true; unavailable?: string }>({ check: 'available' });
const skip = availability.available ? false : (availability.unavailable ?? "Dawn's null backend is not available here");

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
  test(`every epoch kernel compiles and makes a pipeline: ${what}`, { skip }, () => {
    const shaders = askDawn<{ name: string; errors: string[]; invalid: string | null }[]>({ check: 'compile', shape });
    assert.equal(shaders.length, 12);
    for (const shader of shaders) {
      assert.deepEqual(shader.errors, [], `${shader.name} does not compile`);
      assert.equal(shader.invalid, null, `${shader.name}'s pipeline is invalid`);
    }
  });
}

test('a dense adjacency past one buffer binding is refused with MemoryLimitError before any buffer is made', { skip }, () => {
  const n = 6000; // 6000^2 floats: 144 MB, past the 128 MiB a device binds by default
  const shape = { ...base, nodes: n, features: 1, classes: 2, adjacency: 'dense' as const };
  const { binds, error } = askDawn<{ binds: number; error: { name: string; message: string; bytes: number } | null }>({ check: 'dense-past-binding', shape, nodes: n });
  assert.ok(4 * n * n > binds, `the null device binds ${binds} bytes`);
  assert.equal(error?.name, 'MemoryLimitError');
  assert.match(error.message, /buffer 'adj' \(144 MB; this device binds 134 MB\)/);
  assert.equal(error.bytes, 4 * n * n);
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
