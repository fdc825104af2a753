// The gradient below a layer: dLin W^T through the relu and dropout of its input, entry by entry.
import { backwardBuffers } from '../../buffers.js';
import { inputOf } from './inputs.js';
import { laneEntries, type RowEpilogue } from './segments.js';
import { type WebGpuEpochShape } from './shape.js';

/**
 * layerGrads' second part (i above 0): the gradient wrt the A product below, dLin W^T through the relu and dropout
 * of the input, one thread per entry, entry `entry`.
 */
export function hiddenGrad(s: WebGpuEpochShape, i: number, entry: string): string {
  const K = `K${i}`;
  return `let idx = ${entry};
    if (idx < N * ${K}) {
      let i = idx / ${K}; let j = idx % ${K};
      ${hiddenGradEntry(s, i)}
    }`;
}

/** Entry idx = (i, j) of the gradient below layer i: dLin's row i @ W's row j, through the input's relu and dropout. */
function hiddenGradEntry(s: WebGpuEpochShape, i: number): string {
  const { dLin, dBelow } = backwardBuffers(s, i);
  const [O, OW] = [`O${i}`, `OW${i}`];
  return `var a = 0.0;
      for (var k = 0u; k < ${O}; k++) { a += ${dLin}[i * ${O} + k] * params[${OW} + j * ${O} + k]; }
      ${dBelow!}[idx] = select(0.0, a * SCALE, ${inputOf(i)}[idx] > 0.0);`;
}

/** hiddenGrad for row i (layer i above 0), by the workgroup of layer i's A^T product that stored dLin's row i. */
export const hiddenGradEpilogue = (s: WebGpuEpochShape, i: number): RowEpilogue => {
  const { dBelow } = backwardBuffers(s, i);
  return {
    code: (lane, lanes) => laneEntries(lane, lanes, `K${i}`, `let idx = i * K${i} + j;
      ${hiddenGradEntry(s, i)}`),
    bindings: [['params', 'f32', 'read'], [dBelow!, 'f32', 'read_write'], [inputOf(i), 'f32', 'read']],
  };
};
