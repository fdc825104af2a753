// Shared by the ops tests: the devices to check, seeded random matrices, and closeness of tensors.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { availableDevices, type DeviceName } from '../../src/index.js';

/** Devices where gcnlab implements its ops and that work here (webgpu only where a GPU adapter exists). */
export async function opDevices(): Promise<DeviceName[]> {
  const available = await availableDevices();
  return (['cpu', 'wasm', 'webgpu'] as const).filter((d) => available.includes(d));
}

/** A rows x cols matrix with roughly `density` non-zeros, from a small linear congruential generator. */
export function randomMatrix(rows: number, cols: number, density: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) if (next() < density) out[i] = 2 * next() - 1;
  return out;
}

export function assertClose(actual: tf.Tensor | ArrayLike<number>, expected: tf.Tensor | ArrayLike<number>, tol = 1e-5, what = ''): void {
  const a = actual instanceof tf.Tensor ? actual.dataSync() : actual;
  const e = expected instanceof tf.Tensor ? expected.dataSync() : expected;
  assert.equal(a.length, e.length, `${what}: lengths differ`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])), `${what}: entry ${i} is ${a[i]}, expected ${e[i]}`);
  }
}
