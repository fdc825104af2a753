// The wasm device's WebAssembly SIMD kernels give what the JavaScript kernels (cpu) give, at every output width.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { CsrMatrix, matMul, reluDropout, sparseMatrix, spmm, useDevice } from '../../src/index.js';
import { SIMD_WASM_BASE64, SHARED_SIMD_WASM_BASE64 } from '../../src/ops/simd/module-bytes.js';
import { simdOn, stripsFor } from '../../src/ops/simd/index.js';
import { denseProduct } from '../../src/ops/host/mat-mul.js';
import { assembleSimd } from '../../src/ops/simd/assemble.js';
import { assertClose, opDevices, randomMatrix } from './helpers.js';

after(() => useDevice('cpu'));

const hasWasm = (await opDevices()).includes('wasm');

test('the committed SIMD binary is what wat.ts assembles to (run npm run build:simd after editing it)', async () => {
  assert.equal(Buffer.from(await assembleSimd()).toString('base64'), SIMD_WASM_BASE64);
  assert.equal(Buffer.from(await assembleSimd({ shared: true })).toString('base64'), SHARED_SIMD_WASM_BASE64);
});

test('strips cover every column once, the last vector overlapping by the lanes it skips', () => {
  for (const width of [4, 5, 7, 8, 16, 19, 32, 33]) {
    const covered = new Array<number>(width).fill(0);
    for (const strip of stripsFor(width)) {
      strip.offsets.forEach((bytes, j) => {
        const first = bytes / 4 + (j === strip.offsets.length - 1 ? strip.skip : 0);
        for (let c = first; c < bytes / 4 + 4; c++) covered[c]++;
      });
    }
    assert.deepEqual(covered, new Array(width).fill(1), `width ${width}`);
  }
});

/** The same computation on cpu (JavaScript) and on wasm (SIMD), read back. */
async function onBoth(fn: () => tf.Tensor[]): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  for (const device of ['cpu', 'wasm']) {
    await useDevice(device);
    out.push(tf.tidy(fn).map((t) => t.dataSync() as Float32Array));
  }
  return out;
}

const widths = [4, 5, 7, 8, 16, 19, 33];

test('wasm spmm, its gradient and bias match cpu at every width', { skip: !hasWasm && 'wasm unavailable' }, async () => {
  const [rows, cols] = [37, 29];
  const host = CsrMatrix.fromDense(rows, cols, randomMatrix(rows, cols, 0.2, 5));
  for (const width of widths) {
    const [cpu, wasm] = await onBoth(() => {
      const a = sparseMatrix(host);
      try {
        const b = tf.tensor2d(randomMatrix(cols, width, 1, 6), [cols, width]);
        const bias = tf.tensor1d(randomMatrix(1, width, 1, 7));
        const dy = tf.tensor2d(randomMatrix(rows, width, 1, 8), [rows, width]);
        const [db] = tf.grads((x: tf.Tensor) => spmm(a, x as tf.Tensor2D))([b], dy);
        return [spmm(a, b, bias), db];
      } finally {
        a.dispose();
      }
    });
    cpu.forEach((c, i) => assertClose(wasm[i], c, 1e-5, `width ${width}, output ${i}`));
  }
});

test('wasm matMul (a @ b + bias and a^T @ b, zeros skipped) matches cpu at every width', { skip: !hasWasm && 'wasm unavailable' }, async () => {
  const [m, k] = [41, 23];
  for (const width of widths) {
    const [cpu, wasm] = await onBoth(() => {
      const a = tf.tensor2d(randomMatrix(m, k, 0.3, 9), [m, k]);
      const at = tf.tensor2d(randomMatrix(k, m, 0.3, 10), [k, m]);
      const b = tf.tensor2d(randomMatrix(k, width, 1, 11), [k, width]);
      const bias = tf.tensor1d(randomMatrix(1, width, 1, 12));
      return [matMul(a, b, { bias }), matMul(at, b, { transposeA: true, bias }), matMul(at, b, { transposeA: true })];
    });
    cpu.forEach((c, i) => assertClose(wasm[i], c, 1e-5, `width ${width}, output ${i}`));
  }
});

test('wasm relu-dropout draws the same mask as cpu, with its gradient, at any length', { skip: !hasWasm && 'wasm unavailable' }, async () => {
  for (const [n, rate] of [[1, 0.5], [7, 0.5], [1030, 0.5], [1031, 0.3], [64, 0]] as const) {
    const [cpu, wasm] = await onBoth(() => {
      const x = tf.tensor2d(randomMatrix(n, 1, 1, 13), [n, 1]);
      const dy = tf.tensor2d(randomMatrix(n, 1, 1, 14), [n, 1]);
      const [dx] = tf.grads((v: tf.Tensor) => reluDropout(v as tf.Tensor2D, rate, 4242))([x], dy);
      return [reluDropout(x, rate, 4242), dx];
    });
    cpu.forEach((c, i) => assertClose(wasm[i], c, 1e-6, `n ${n}, rate ${rate}, output ${i}`));
  }
});

test('the every-entry products (gemm_nn_all, gemm_tn_all) and the f32 Adam step match JavaScript at every width', () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const k = simdOn(memory);
  assert.ok(k, 'this engine runs WebAssembly SIMD');
  let next = 16;
  const put = (data: Float32Array) => {
    const ptr = next;
    next += Math.ceil(data.length / 4) * 16;
    new Float32Array(memory.buffer, ptr, data.length).set(data);
    return { ptr, view: () => new Float32Array(memory.buffer, ptr, data.length) };
  };
  const [m, inner] = [37, 16];
  for (const width of widths) {
    next = 16;
    const a = randomMatrix(m, inner, 0.3, 21);
    const b = randomMatrix(inner, width, 1, 22);
    const bias = randomMatrix(1, width, 1, 23);
    const bt = randomMatrix(m, width, 1, 24);
    const [pa, pb, pbias, pbt] = [put(a), put(b), put(bias), put(bt)];
    const out = put(new Float32Array(m * width));
    const outT = put(new Float32Array(inner * width));
    for (const s of stripsFor(width)) {
      k[`gemm_nn_all${s.width}`](m, inner, pa.ptr, 4 * inner, pb.ptr, 4 * width, pbias.ptr, out.ptr, 4 * width, ...s.place);
      k[`gemm_tn_all${s.width}`](m, inner, pa.ptr, 4 * inner, pbt.ptr, 4 * width, 0, outT.ptr, 4 * width, ...s.place);
    }
    const expected = new Float32Array(m * width);
    denseProduct(m, inner, width, false, false, a, b, bias, expected);
    assertClose(out.view(), expected, 1e-5, `gemm_nn_all width ${width}`);
    const expectedT = new Float32Array(inner * width);
    denseProduct(inner, m, width, true, false, a, bt, null, expectedT);
    assertClose(outT.view(), expectedT, 1e-5, `gemm_tn_all width ${width}`);
  }
  next = 16;
  const n = 40;
  const [p, g, mo, v] = [randomMatrix(n, 1, 1, 31), randomMatrix(n, 1, 1, 32), randomMatrix(n, 1, 1, 33), randomMatrix(n, 1, 1, 34).map(Math.abs)];
  const regions = [p, g, mo, v].map(put);
  const [d, lr, b1, b2, c1, c2, eps] = [0.01, 0.01, 0.9, 0.999, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3), 1e-8];
  k.adam(n, regions[0].ptr, regions[1].ptr, regions[2].ptr, regions[3].ptr, d, lr, b1, b2, c1, c2, eps);
  for (let i = 0; i < n; i++) {
    const gi = g[i] + d * p[i];
    const mi = b1 * mo[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    assertClose([regions[2].view()[i], regions[3].view()[i]], [mi, vi], 1e-5, `adam moments ${i}`);
    assertClose([regions[0].view()[i]], [p[i] - (lr * mi * c1) / (Math.sqrt(vi * c2) + eps)], 1e-5, `adam parameter ${i}`);
  }
});
