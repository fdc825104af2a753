// lin = input @ W + b, as a kernel of its own or after the A product below.
import { layerBuffer } from '../../buffers.js';
import { linFused } from './fusion.js';
import { featureBindings, inputOf } from './inputs.js';
import { FLAT, reluDropoutStore } from './loops.js';
import { blockColumn, columnsOf, csrScan, denseScan, lanesProgram, ONE_ROW_PER_GROUP, partShared, rowsProgram, rowsStatements } from './rows.js';
import { laneEntries, type RowEpilogue, rowEpilogue, segmentsProgram } from './segments.js';
import { type Shader, type WebGpuEpochShape } from './shape.js';
import { bufferSource } from './wgsl.js';

/**
 * The first layer on propagated features (WebGpuEpochShape.propagatedFeatures): hidden0 = relu-dropout(x W), a
 * workgroup a row of x (CSR, or dense with its zeros skipped), and where each workgroup holds whole rows the next layer's lin of
 * them, in one dispatch.
 */
export function propagatedFirstLayer(s: WebGpuEpochShape): Shader {
  const c = columnsOf(s.layers[0].outputs);
  const out = layerBuffer.hidden(0);
  const fused = linFused(s, 1);
  const store = `let idx = i * O0${c.plus} + t;
    ${reluDropoutStore(out, 0)}`;
  const then = fused ? linEpilogue(s, 1) : undefined;
  const w = bufferSource('params', 'O0');
  const sparse = s.features === 'sparse';
  return segmentsProgram(`propagatedFeaturesTimesW1ReluDropout${fused ? 'TimesW2' : ''}`, [
    {
      groups: s.nodes * c.blocks,
      code: (g) => rowsStatements(c, g, ONE_ROW_PER_GROUP('N'), sparse ? csrScan('x', w, blockColumn(c), c.width) : denseScan('x', w, c, 'KQ0'), store) + rowEpilogue(then),
      bindings: [...featureBindings(s), ['params', 'f32', 'read'], [out, 'f32', 'read_write'], ['epoch', 'u32', 'uniform'], ...(then?.bindings ?? [])],
      shared: [partShared(c)],
    },
  ]);
}

/**
 * lin<i> = input @ W + b: sparse X by lanes (one vec4 of outputs a thread), dense X a workgroup per row, a hidden
 * layer's output (a few columns) one output a thread.
 */
export function linear(s: WebGpuEpochShape, i: number): Shader {
  const l = s.layers[i];
  const out = layerBuffer.lin(i);
  const name = i === 0 ? 'featuresTimesW1' : `hiddenTimesW${i + 1}`;
  if (i === 0 && s.features === 'sparse') {
    // W and b as vec4s where the outputs come four at a time (OW0 is 0, OB0 a multiple of O0).
    const store = l.bias ? `${out}[idx] = acc + params[OB0 / VO + t];` : `${out}[idx] = acc;`;
    const k = lanesProgram('N', l.outputs, 'x', 'params', 'OW0 / VO + ', { scalar: store, vector: store });
    return {
      name,
      bindings: [...featureBindings(s), ['params', k.type, 'read'], [out, k.type, 'read_write']],
      threads: s.nodes * k.lanes,
      body: `const VO : u32 = ${l.outputs / k.lanes}u;\n${k.body}`,
    };
  }
  if (i === 0) {
    // Dense X as a dense A: a workgroup per row, its zeros skipped (Cora's X is 1.3% non-zeros). OW0 is 0.
    const c = columnsOf(l.outputs);
    const store = `let idx = i * O0${c.plus} + t;\n    ${out}[idx] = acc${l.bias ? ` + params[OB0${c.plus} + t]` : ''};`;
    return {
      name,
      bindings: [...featureBindings(s), ['params', 'f32', 'read'], [out, 'f32', 'read_write']],
      workgroups: s.nodes * c.blocks,
      body: rowsProgram(c, ONE_ROW_PER_GROUP('N'), denseScan('x', bufferSource('params', 'O0'), c, 'KQ0'), store),
    };
  }
  const src = inputOf(i);
  return {
    name,
    bindings: [[src, 'f32', 'read'], ['params', 'f32', 'read'], [out, 'f32', 'read_write']],
    threads: s.nodes * l.outputs,
    body: FLAT(`N * O${i}`, `let i = idx / O${i}; let j = idx % O${i};
  ${linEntry(s, i)}`),
  };
}

/** lin<i>[i, j] = the input's row i @ W column j + b[j] (i above 0), in the order linear's threads add it. */
function linEntry(s: WebGpuEpochShape, i: number): string {
  return `var acc = ${s.layers[i].bias ? `params[OB${i} + j]` : '0.0'};
  for (var k = 0u; k < K${i}; k++) { acc += ${inputOf(i)}[i * K${i} + k] * params[OW${i} + k * O${i} + j]; }
  ${layerBuffer.lin(i)}[i * O${i} + j] = acc;`;
}

/** Layer i's lin (i above 0) by the workgroup of the A product below that stored its input's row i (linFused). */
export const linEpilogue = (s: WebGpuEpochShape, i: number): RowEpilogue => ({
  code: (lane, lanes) => laneEntries(lane, lanes, `O${i}`, linEntry(s, i)),
  bindings: [['params', 'f32', 'read'], [layerBuffer.lin(i), 'f32', 'read_write']],
});
