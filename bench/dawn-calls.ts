// What each WebGPU call of a fused epoch costs the host through Dawn's Node binding: an epoch's sequence (encoder,
// compute pass, `--dispatches` x setPipeline / setBindGroup / dispatchWorkgroups of a small kernel, the metrics' copy,
// finish, the uniform's write, submit, mapAsync and its wait, the read and unmap), `--epochs` times, each call timed
// alone. Prints one JSON line: the adapter, and each call's median µs (the first tenth of the epochs left out, warm-up).
// --backend null: Dawn's null backend (no GPU, no driver: what is left is the binding's and Dawn's own validation).
//   node --import tsx bench/dawn-calls.ts [--backend null] [--epochs 5000] [--dispatches 10]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { timingStats } from '../src/index.js';

const { values } = parseArgs({ options: { backend: { type: 'string' }, epochs: { type: 'string', default: '5000' }, dispatches: { type: 'string', default: '10' } } });
const epochs = Number(values.epochs);
const dispatches = Number(values.dispatches);
const dawn = createRequire(import.meta.url)('webgpu') as typeof import('webgpu');
Object.assign(globalThis, dawn.globals);
const flags = [...(process.env.GCNLAB_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean), ...(values.backend ? [`backend=${values.backend}`] : [])];
// Kept referenced for the whole run: a GPU object that is collected takes its devices with it.
const gpu = dawn.create(flags);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) throw new Error(`dawn-calls: no adapter (flags ${flags.join(' ') || 'none'})`);
const device = await adapter.requestDevice();

// Six storage buffers a kernel, as the epoch's kernels bind 3 to 8.
const STORAGE = 0x80 | 0x8 | 0x4;
const buffers = Array.from({ length: 8 }, () => device.createBuffer({ size: 4096, usage: STORAGE }));
const code = `${[0, 1, 2, 3, 4, 5].map((b) => `@group(0) @binding(${b}) var<storage, read_write> b${b} : array<f32>;`).join('\n')}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id : vec3<u32>) { b0[id.x] = b1[id.x] + b2[id.x] + b3[id.x] + b4[id.x] + b5[id.x]; }`;
const module = device.createShaderModule({ code });
const kernels = Array.from({ length: dispatches }, (_, i) => {
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: Array.from({ length: 6 }, (_, b) => ({ binding: b, resource: { buffer: buffers[(i + b) % 8] } })) });
  return { pipeline, bindGroup };
});
const readback = device.createBuffer({ size: 16, usage: 0x1 | 0x8 });
const uniform = device.createBuffer({ size: 32, usage: 0x40 | 0x8 });
const uniformData = new ArrayBuffer(32);

const times = new Map<string, number[]>();
let t0 = 0;
const lap = (call: string) => {
  const t = performance.now();
  let list = times.get(call);
  if (!list) times.set(call, (list = []));
  list.push(t - t0);
  t0 = performance.now();
};
const epochTimes: number[] = [];
for (let k = 0; k < epochs; k++) {
  const start = performance.now();
  t0 = start;
  const encoder = device.createCommandEncoder();
  lap('createCommandEncoder');
  const pass = encoder.beginComputePass();
  lap('beginComputePass');
  for (const { pipeline, bindGroup } of kernels) {
    pass.setPipeline(pipeline);
    lap('setPipeline');
    pass.setBindGroup(0, bindGroup);
    lap('setBindGroup');
    pass.dispatchWorkgroups(1);
    lap('dispatchWorkgroups');
  }
  pass.end();
  lap('end');
  encoder.copyBufferToBuffer(buffers[0], 0, readback, 0, 16);
  lap('copyBufferToBuffer');
  const commands = encoder.finish();
  lap('finish');
  device.queue.writeBuffer(uniform, 0, uniformData);
  lap('writeBuffer');
  device.queue.submit([commands]);
  lap('submit');
  const mapped = readback.mapAsync(1);
  lap('mapAsync');
  await mapped;
  lap('mapAsync resolved');
  new Float32Array(readback.getMappedRange(0, 16));
  lap('getMappedRange');
  readback.unmap();
  lap('unmap');
  epochTimes.push(performance.now() - start);
}
/** The median in µs of a call's times, the first tenth of the epochs' calls left out (warm-up). */
const median = (xs: number[]) => Number((1000 * timingStats(xs.slice(Math.floor(xs.length / 10))).medianMs).toFixed(2));
const callsUs = Object.fromEntries([...times].map(([call, xs]) => [call, median(xs)]));
const info = (adapter as unknown as { info?: Record<string, string> }).info ?? {};
console.log(JSON.stringify({
  kind: 'dawn-calls',
  adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description, backend: values.backend ?? 'default' },
  epochs,
  dispatches,
  callsUs,
  perDispatchUs: Number((callsUs.setPipeline + callsUs.setBindGroup + callsUs.dispatchWorkgroups).toFixed(2)),
  epochUs: median(epochTimes),
}));
device.destroy();
process.exit(0);
