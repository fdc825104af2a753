// Device selection as a user meets it: the list, switching, and the errors for bad names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  DeviceUnavailableError,
  UnknownDeviceError,
  currentDevice,
  listDevices,
  useDevice,
  withDevice,
} from '../../src/index.js';

test('listDevices reports every device, with what it runs on or why it is unavailable', async () => {
  const devices = await listDevices();
  assert.deepEqual(
    devices.map((d) => d.name),
    ['cpu', 'wasm', 'webgpu', 'tensorflow', 'cuda'],
  );
  for (const d of devices) {
    if (d.available) assert.match(d.runsOn ?? '', /\w/, `${d.name} says what it runs on`);
    else assert.match(d.reason ?? '', /\w{4,}/, `${d.name} says why it is unavailable`);
  }
  const cpu = devices.find((d) => d.name === 'cpu')!;
  assert.equal(cpu.available, true);
  assert.equal(cpu.details.threads, 1);
  const wasm = devices.find((d) => d.name === 'wasm')!;
  assert.equal(wasm.available, true, wasm.reason);
  assert.equal(typeof wasm.details.simd, 'boolean');
});

test('a device whose package is missing says which package and how to install it', async () => {
  const node = (await listDevices()).find((d) => d.name === 'tensorflow')!;
  if (node.available) return; // where tfjs-node installs, there is nothing to explain
  assert.match(node.reason!, /@tensorflow\/tfjs-node/);
  assert.match(node.reason!, /npm install/);
});

test('useDevice switches the backend and currentDevice follows', async () => {
  await useDevice('wasm');
  assert.equal(currentDevice(), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  await useDevice('cpu');
  assert.equal(currentDevice(), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('tensors made before a switch keep working after it', async () => {
  await useDevice('cpu');
  const a = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  await useDevice('wasm');
  const b = tf.matMul(a, a);
  assert.deepEqual(Array.from(await b.data()), [7, 10, 15, 22]);
  await useDevice('cpu');
  assert.deepEqual(Array.from(await tf.add(a, b).data()), [8, 12, 18, 26]);
  tf.dispose([a, b]);
});

test('withDevice runs on the device and returns to the previous one, even when it throws', async () => {
  await useDevice('cpu');
  const seen = await withDevice('wasm', () => currentDevice());
  assert.equal(seen, 'wasm');
  assert.equal(currentDevice(), 'cpu');
  await assert.rejects(
    withDevice('wasm', () => {
      throw new Error('inside');
    }),
    /inside/,
  );
  assert.equal(currentDevice(), 'cpu');
});

test('an unknown device name throws UnknownDeviceError listing the available devices', async () => {
  const error = await useDevice('tpu').catch((e: unknown) => e);
  assert.ok(error instanceof UnknownDeviceError);
  assert.equal(error.device, 'tpu');
  assert.match(error.message, /unknown device 'tpu'/);
  assert.match(error.message, /Available here: cpu, wasm/);
  assert.equal(currentDevice(), 'cpu');
});

test('an unavailable device throws DeviceUnavailableError with the reason and the alternatives', async () => {
  const unavailable = (await listDevices()).find((d) => !d.available);
  if (!unavailable) return; // every device works on this machine
  const error = await useDevice(unavailable.name).catch((e: unknown) => e);
  assert.ok(error instanceof DeviceUnavailableError);
  assert.ok(error.message.includes(unavailable.reason!));
  assert.match(error.message, /Available: cpu, wasm/);
});

test("after switching to wasm, a script's uncaught error is reported at its own line, and its handlers still run", () => {
  const entry = new URL('../../src/index.ts', import.meta.url).href;
  const script = `import { useDevice } from '${entry}';
await useDevice('wasm');
process.on('exit', () => console.log('listeners', process.listenerCount('uncaughtException')));
throw new Error('boom in the user script');`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /Error: boom in the user script/);
  assert.doesNotMatch(run.stderr.split('Error: boom')[0], /tfjs-backend-wasm/, 'the report starts in the script, not in the backend');
  assert.match(run.stdout, /listeners 0/, 'the backend left no listener rethrowing uncaught errors');
});
