// The wasm device: tfjs-backend-wasm (XNNPACK compiled to WebAssembly), SIMD where the engine has it.
import * as tf from '@tensorflow/tfjs-core';
import { threadCount, threadsUnavailable } from '../../ops/index.js';
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
      if (!(await withoutRethrowingListeners(() => tf.setBackend('wasm')))) {
        return { available: false, reason: 'the WebAssembly module failed to initialise' };
      }
    } catch (error) {
      return { available: false, reason: `the WebAssembly module failed to initialise: ${(error as Error).message}` };
    } finally {
      if (previous) await tf.setBackend(previous);
    }
    const tfjsThreads = wasm.getThreadsCount();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean;
    // gcnlab's fused epochs run their own SIMD kernels on threads of their own; tfjs-wasm's kernels (the tape) on its.
    const { threads, problem } = epochThreads();
    const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
    return {
      available: true,
      runsOn: `WebAssembly${simd ? ' SIMD' : ''}, fused epochs on up to ${plural(threads)} (tfjs kernels on ${tfjsThreads})`,
      details: {
        threads,
        tfjsThreads,
        simd,
        multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') as boolean,
        ...(problem ? { threadsProblem: problem } : {}),
      },
    };
  },
};

/** The fused epochs' default thread count, and why it is 1 where threads cannot run or $GCNLAB_THREADS is invalid. */
function epochThreads(): { threads: number; problem?: string } {
  const unavailable = threadsUnavailable();
  if (unavailable) return { threads: 1, problem: unavailable };
  try {
    return { threads: threadCount() };
  } catch (error) {
    return { threads: 1, problem: (error as Error).message };
  }
}

const EVENTS: string[] = ['uncaughtException', 'unhandledRejection'];

/**
 * Runs `init` and removes the process listeners it added for uncaught errors. The WebAssembly module's
 * Emscripten glue adds two that rethrow whatever reaches them: Node then reports every uncaught error of the
 * program as thrown from inside tfjs-backend-wasm, and a kernel's own handlers could not keep it alive.
 */
async function withoutRethrowingListeners<T>(init: () => Promise<T>): Promise<T> {
  const listeners = (event: string) => process.listeners(event as 'exit') as unknown[];
  const before = EVENTS.map((event) => new Set(listeners(event)));
  try {
    return await init();
  } finally {
    EVENTS.forEach((event, k) => {
      for (const listener of listeners(event)) {
        if (!before[k].has(listener)) process.removeListener(event, listener as () => void);
      }
    });
  }
}
