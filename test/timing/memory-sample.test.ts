// Memory samples as the panel shows them: GPU bytes only where a backend reports them, peaks figure by figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { higherMemory, memorySample } from '../../kernel/timing/memory-sample.ts';

test('a sample sums GPU bytes over the devices that report them, and leaves them out where none does', () => {
  const tensors = { numTensors: 3, numBytes: 120, devices: [{ gpuBytes: 100 }, {}, { gpuBytes: 20 }] };
  assert.deepEqual(memorySample({ rss: 10, heapUsed: 5, tensors }), { rss: 10, heapUsed: 5, tensors: 3, tensorBytes: 120, gpuBytes: 120 });
  assert.deepEqual(memorySample({ rss: 10, heapUsed: 5, tensors: { numTensors: 1, numBytes: 4, devices: [{}] } }), { rss: 10, heapUsed: 5, tensors: 1, tensorBytes: 4 });
  assert.deepEqual(memorySample({ rss: 10, heapUsed: 5, tensors: null }), { rss: 10, heapUsed: 5, tensors: 0, tensorBytes: 0 });
});

test('a peak takes the higher of each figure, and has GPU bytes once either sample has', () => {
  const a = { rss: 10, heapUsed: 7, tensors: 2, tensorBytes: 50 };
  const b = { rss: 12, heapUsed: 5, tensors: 4, tensorBytes: 40, gpuBytes: 30 };
  assert.deepEqual(higherMemory(a, b), { rss: 12, heapUsed: 7, tensors: 4, tensorBytes: 50, gpuBytes: 30 });
  assert.deepEqual(higherMemory(a, a), a);
});
