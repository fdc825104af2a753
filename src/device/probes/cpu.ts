// The cpu device: tfjs-backend-cpu, plain JavaScript on the main thread; always available.
import '@tensorflow/tfjs-backend-cpu';
import type { DeviceProbe } from '../types.js';

export const cpuProbe: DeviceProbe = {
  name: 'cpu',
  backend: 'cpu',
  packageName: '@tensorflow/tfjs-backend-cpu',
  async probe() {
    return {
      available: true,
      runsOn: `JavaScript (V8 ${process.versions.v8}), 1 thread`,
      details: { threads: 1, simd: false, arch: process.arch },
    };
  },
};
