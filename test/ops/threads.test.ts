// The wasm kernels' thread team: work split by rows lands where it should, a kernel that traps on a helper thread
// is reported as an error on the calling thread, and the team goes on working after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reluDropoutRange } from '../../src/ops/host/relu-dropout.js';
import { stripsFor } from '../../src/ops/simd/index.js';
import { splitCsrRows, splitEven } from '../../src/ops/threads/split.js';
import { ThreadTeam, threadsUnavailable, type SimdCall } from '../../src/ops/threads/team.js';
import { ThreadsError } from '../../src/index.js';

const unavailable = threadsUnavailable();

test('row ranges cover every row once and balance the non-zeros', () => {
  // Row 0 holds half of the non-zeros (a hub): it and one more row make the first half of the work (112 of 211,
  // counting one per row), where an even split of the rows would give the first thread 5 rows and 140 non-zeros.
  const rowPtr = Int32Array.from([0, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  assert.deepEqual(splitCsrRows(rowPtr, 2), [[0, 2], [2, 11]]);
  assert.deepEqual(splitCsrRows(Int32Array.from([0, 1, 2]), 4), [[0, 1], [1, 2]]);
  assert.deepEqual(splitEven(10, 3, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(splitEven(2, 3), [[0, 1], [1, 2]]);
});

test('a team of 2 computes A @ B split by rows, the second half on a helper thread', { skip: unavailable ?? false }, () => {
  const [rows, width] = [64, 8];
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const team = new ThreadTeam(memory, 2);
  try {
    // A = 2 x the identity (CSR) at 0; B at 4096; out at 16384.
    const [ptr, col, val, b, out] = [0, 1024, 2048, 4096, 16384];
    const i32 = new Int32Array(memory.buffer);
    const f32 = new Float32Array(memory.buffer);
    for (let i = 0; i <= rows; i++) i32[ptr / 4 + i] = i;
    for (let i = 0; i < rows; i++) [i32[col / 4 + i], f32[val / 4 + i]] = [i, 2];
    for (let i = 0; i < rows * width; i++) f32[b / 4 + i] = i;
    const calls = (start: number, end: number): SimdCall[] =>
      stripsFor(width).map((s) => [`spmm${s.width}`, end - start, ptr + 4 * start, col, val, b, 4 * width, 0, out + 4 * width * start, 4 * width, ...s.place]);
    team.run(splitCsrRows(i32.subarray(0, rows + 1), 2).map(([start, end]) => calls(start, end)));
    const result = f32.subarray(out / 4, out / 4 + rows * width);
    assert.deepEqual(Array.from(result), Array.from({ length: rows * width }, (_, i) => 2 * i));
  } finally {
    team.release();
  }
});

test('a kernel that traps on a helper thread throws here, and the team still works after', { skip: unavailable ?? false }, () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const team = new ThreadTeam(memory, 2);
  try {
    const f32 = new Float32Array(memory.buffer);
    f32.fill(-1, 0, 8);
    // relu_dropout over 4 floats at an address past the 64 KiB memory: out of bounds on the helper.
    const outside: SimdCall = ['relu_dropout', 4, 1 << 20, 1 << 20, 0, 0, 1, 0];
    assert.throws(() => team.run([[], [outside]]), (error: Error) => {
      assert.ok(error instanceof ThreadsError, String(error));
      assert.match(error.message, /a SIMD call failed on a helper thread: RuntimeError: memory access out of bounds/);
      return true;
    });
    // The same team runs the next job: relu-dropout (rate 0.5, seed 7) of 64 values at 0 into 1024, half here and
    // half on the helper, whose share draws its mask from index 32 on: the same mask as one call over all 64.
    const x = Float32Array.from({ length: 64 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1));
    f32.set(x);
    const [threshold, scale] = [Math.ceil(0.5 * 2 ** 24), 2];
    team.run([[['relu_dropout', 32, 0, 1024, 7, threshold, scale, 0]], [['relu_dropout', 32, 128, 1024 + 128, 7, threshold, scale, 32]]]);
    const expected = new Float32Array(64);
    reluDropoutRange(x, expected, 0, 64, 0.5, 7);
    assert.deepEqual(Array.from(f32.subarray(256, 320)), Array.from(expected));
    assert.ok(expected.some((v, i) => v === 0 && x[i] > 0), 'some positive values were dropped');
  } finally {
    team.release();
  }
  assert.throws(() => team.run([[]]), /released/);
});

test('teams of different sizes on different memories work side by side, and after one is released', { skip: unavailable ?? false }, () => {
  /** A team of `threads` on a memory of its own. */
  const make = (threads: number) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return { team: new ThreadTeam(memory, threads), f32: new Float32Array(memory.buffer) };
  };
  /** Each of the team's threads copies 4 floats (relu of positives) from 0.. to 1024..; the copy is checked. */
  const check = ({ team, f32 }: ReturnType<typeof make>, base: number) => {
    const n = 4 * team.threads;
    f32.set(Array.from({ length: n }, (_, i) => base + i));
    team.run(Array.from({ length: team.threads }, (_, t): SimdCall[] => [['relu_dropout', 4, 16 * t, 1024 + 16 * t, 0, 0, 1, 4 * t]]));
    assert.deepEqual(Array.from(f32.subarray(256, 256 + n)), Array.from({ length: n }, (_, i) => base + i));
  };
  const three = make(3);
  const two = make(2);
  check(three, 1);
  check(two, 100);
  two.team.release();
  check(three, 200);
  const another = make(2);
  check(another, 300);
  check(three, 400);
  another.team.release();
  three.team.release();
  // Every team released: the helpers stopped; a new team starts them again.
  const again = make(2);
  check(again, 500);
  again.team.release();
});
