// Run by webgpu.test.ts in a child process: makes a GPUDevice on Dawn's null backend (the real WGSL compiler and
// pipeline validation, no kernels run), does the one check named in argv[2] (JSON), and prints one JSON line.
// A child, so that a Dawn instance that stops answering (CI once waited 80 minutes on a getCompilationInfo promise
// that never settled) costs one timeout and a fresh process, not the whole suite.
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CsrMatrix } from '../../src/index.js';
import { parameterSlots } from '../../src/epochs/index.js';
import { epochShaders, moduleCode, WebGpuEpochs, type WebGpuEpochShape } from '../../src/epochs/webgpu/index.js';

export type DawnRequest =
  | { check: 'available' }
  | { check: 'compile'; shape: WebGpuEpochShape }
  | { check: 'dense-past-binding'; shape: WebGpuEpochShape; nodes: number; adjacency: 'full' | 'diagonal' }
  | { check: 'after-collection' };

/**
 * The Dawn instance the device comes from, referenced for the child's whole life: an instance the garbage collector
 * takes ends its devices with it, and the next call into one aborts the process ("std::system_error: Invalid
 * argument", or glibc's "The futex facility returned an unexpected error code"): the abort CI once saw in one of
 * twelve identical children.
 */
let instance: GPU | undefined;

async function nullDevice(): Promise<GPUDevice | string> {
  try {
    const dawn = createRequire(import.meta.url)('webgpu') as typeof import('webgpu');
    Object.assign(globalThis, dawn.globals);
    instance = dawn.create(['backend=null']);
    const adapter = await instance.requestAdapter();
    return adapter ? await adapter.requestDevice() : "Dawn's null backend gave no adapter";
  } catch (error) {
    return `the webgpu package cannot make a device here: ${(error as Error).message}`;
  }
}

/** Each shader's compile errors and its pipeline's and bind group's validation message (empty and null where fine). */
async function compile(device: GPUDevice, shape: WebGpuEpochShape) {
  const { header, shaders } = epochShaders(shape);
  const results = [];
  for (const shader of shaders) {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: moduleCode(header, shader) });
    const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    // The runner binds exactly the shader's bindings, in order: a binding the shader never reads is not in its layout.
    const buffers = shader.bindings.map(([, , access]) => device.createBuffer({ size: 256, usage: access === 'uniform' ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE }));
    device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const invalid = (await device.popErrorScope())?.message ?? null;
    buffers.forEach((b) => b.destroy());
    results.push({ name: shader.name, errors, invalid });
  }
  return results;
}

/** What WebGpuEpochs.create says for a dense adjacency of `nodes`^2 floats, every one or only the diagonal set. */
async function densePastBinding(device: GPUDevice, shape: WebGpuEpochShape, n: number, fill: 'full' | 'diagonal') {
  const adjacency = new Float32Array(n * n);
  if (fill === 'full') adjacency.fill(1 / n);
  else for (let i = 0; i < n; i++) adjacency[i * n + i] = 1;
  const graph = {
    features: CsrMatrix.fromDense(n, shape.layers[0].inputs, new Float32Array(n * shape.layers[0].inputs).fill(1)),
    adjacency,
    labels: new Int32Array(n),
    trainMask: new Uint8Array(n).fill(1),
    valMask: new Uint8Array(n),
  };
  try {
    const run = await WebGpuEpochs.create(device, shape, graph, new Float32Array(parameterSlots(shape.layers).count));
    run.dispose();
    return { binds: device.limits.maxStorageBufferBindingSize, error: null, adjacencyRead: run.adjacencyRead };
  } catch (error) {
    const e = error as Error & { bytes?: number };
    return { binds: device.limits.maxStorageBufferBindingSize, error: { name: e.name, message: e.message, bytes: e.bytes } };
  }
}

/** A kernel compiled after full garbage collections: what every check does after the first, once Dawn's objects age. */
async function afterCollection(device: GPUDevice) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let k = 0; k < 5; k++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const module = device.createShaderModule({ code: '@compute @workgroup_size(1) fn main() {}' });
  return { errors: (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error').length };
}

const request = JSON.parse(process.argv[2] ?? '{"check":"available"}') as DawnRequest;
const device = await nullDevice();
let answer: unknown;
if (typeof device === 'string') answer = { unavailable: device };
else if (request.check === 'available') answer = { available: true };
else if (request.check === 'compile') answer = await compile(device, request.shape);
else if (request.check === 'after-collection') answer = await afterCollection(device);
else answer = await densePastBinding(device, request.shape, request.nodes, request.adjacency);
process.stdout.write(`${JSON.stringify(answer)}\n`);
process.exit(0);
