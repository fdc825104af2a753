// The wasm device: tfjs-backend-wasm (XNNPACK compiled to WebAssembly), SIMD where the engine has it.
import * as tf from '@tensorflow/tfjs-core';
import type { DeviceProbe } from '../types.js';
import { describeFailure } from './failure.js';

export const wasmProbe: DeviceProbe = {
  name: 'wasm',
  backend: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  async probe() {
    let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
    try {
      wasm = await import('@tensorflow/tfjs-backend-wasm');
    } catch (error) {
      return { available: false, reason: describeFailure('@tensorflow/tfjs-backend-wasm', error) };
    }
    const previous = tf.getBackend();
    try {
      await tf.ready();
      if (!(await tf.setBackend('wasm'))) {
        return { available: false, reason: 'the WebAssembly module failed to initialise' };
      }
    } catch (error) {
      return { available: false, reason: `the WebAssembly module failed to initialise: ${(error as Error).message}` };
    } finally {
      if (previous) await tf.setBackend(previous);
    }
    const threads = wasm.getThreadsCount();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean;
    return {
      available: true,
      runsOn: `WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`,
      details: { threads, simd, multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') as boolean },
    };
  },
};
