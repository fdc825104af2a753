// The A and A^T products of the forward and backward passes, and what runs beside or after them in their dispatch.
import { backwardBuffers, gradientOf, layerBuffer } from '../../buffers.js';
import { linFused, lossFused, rowsComplete } from './fusion.js';
import { weightSumsSegment } from './grads.js';
import { hiddenGradEpilogue } from './hidden-grad.js';
import { adjacencyBindings } from './inputs.js';
import { linEpilogue } from './linear.js';
import { kept4, reluDropoutStore, seedOf, strided } from './loops.js';
import { lossEpilogue } from './loss.js';
import { blockColumn, columnsOf, csrScan, denseScan, LANES_MAX_ROW, lanesProgram, ONE_ROW_PER_GROUP, partShared, ROW_GROUP, rowsStatements, type Store } from './rows.js';
import { type RowEpilogue, rowEpilogue, type Segment, segmentsProgram } from './segments.js';
import { type Shader, type WebGpuEpochShape } from './shape.js';
import { type Binding, bufferSource, type Source } from './wgsl.js';

/**
 * A propagation kernel: adj @ src or adj^T @ src (layer i's O<i> columns), sparse (lanes) or dense (a workgroup per
 * row).
 */
function propagation(s: WebGpuEpochShape, name: string, m: 'a' | 'aT', src: Source, layer: number, out: string, store: Store, then?: RowEpilogue, beside: Segment[] = []): Shader {
  const w = s.layers[layer].outputs;
  const width = `O${layer}`;
  const c = columnsOf(w);
  const writes: Binding[] = [[out, 'f32', 'read_write'], ...(store.scalar.includes('epoch.') ? [['epoch', 'u32', 'uniform'] as Binding] : [])];
  const part = partShared(c);
  const storeEntry = `let idx = i * ${width}${c.plus} + t;\n    ${store.scalar}`;
  if (then && !rowsComplete(s, layer, m)) throw new Error(`gcnlab: ${name}'s workgroups do not each hold whole rows: nothing can follow in the same dispatch`);
  if (beside.length && s.adjacency === 'sparse' && !((s.longRows?.[m] ?? 0) > 0)) throw new Error(`gcnlab: ${name} is a flat kernel: no segment can run beside it`);
  if (s.adjacency === 'dense') {
    const scan = denseScan(m === 'a' ? 'adj' : 'adjT', src, c);
    const rows: Segment = {
      groups: s.nodes * c.blocks,
      code: (g) => rowsStatements(c, g, ONE_ROW_PER_GROUP('N'), scan, storeEntry) + rowEpilogue(then),
      bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...(then?.bindings ?? [])],
      shared: [part],
    };
    return segmentsProgram(name, [rows, ...beside]);
  }
  const long = s.longRows?.[m] ?? 0;
  if (long > 0) {
    // The first workgroups: one thread per output entry of the rows up to LANES_MAX_ROW entries (the long ones
    // left alone); then a workgroup per long row (and block of columns), listed in <m>Long.
    const lanes = strided('p', `${m}Ptr[i]`, 'end', '1u', (p, live) => `acc += select(0.0, ${m}Val[${p}] * ${src.at(`${m}Col[${p}]`, 'j')}, ${live});`);
    // With an epilogue, each workgroup takes R whole rows (R w of its threads), so that it ends holding them.
    const rows = Math.floor(ROW_GROUP / w);
    const short: Segment = then
      ? {
          groups: Math.ceil(s.nodes / rows),
          code: (g) => `let i = min(${g} * ${rows}u + t / ${width}, N - 1u);
    let j = t % ${width};
    let short = t < ${rows * w}u && ${g} * ${rows}u + t / ${width} < N && ${m}Ptr[i + 1u] - ${m}Ptr[i] <= ${LANES_MAX_ROW}u;
    if (short) {
      let idx = i * ${width} + j;
      let end = ${m}Ptr[i + 1u];
      var acc = 0.0;
      ${lanes}
      ${store.scalar}
    }
    storageBarrier();
    if (short) {
      ${then.code('j', w)}
    }`,
          bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...then.bindings],
          shared: [part],
        }
      : {
          groups: Math.ceil((s.nodes * w) / ROW_GROUP),
          code: (g) => `let idx = ${g} * ${ROW_GROUP}u + t;
    if (idx < N * ${width}) {
      let i = idx / ${width};
      let j = idx % ${width};
      let end = ${m}Ptr[i + 1u];
      if (end - ${m}Ptr[i] <= ${LANES_MAX_ROW}u) {
        var acc = 0.0;
        ${lanes}
        ${store.scalar}
      }
    }`,
          bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes],
          shared: [part],
        };
    const longRows: Segment = {
      groups: long * c.blocks,
      code: (g) => rowsStatements(c, g, `let live = g < ${long}u; let i = ${m}Ptr[N + 1u + min(g, ${Math.max(long, 1) - 1}u)]; let sl = 0u;`, csrScan(m, src, blockColumn(c), c.width), storeEntry) + rowEpilogue(then),
      bindings: [...adjacencyBindings(s, m), [src.buffer, 'f32', 'read'], ...writes, ...(then?.bindings ?? [])],
      shared: [part],
    };
    return segmentsProgram(name, [short, longRows, ...beside]);
  }
  const k = lanesProgram('N', w, m, src.buffer, '', store);
  const bindings: Binding[] = [...adjacencyBindings(s, m), [src.buffer, k.type, 'read'], [out, k.type, 'read_write'], ...writes.slice(1)];
  return { name, bindings, threads: s.nodes * k.lanes, body: k.body };
}

/** Layer i's A product: into hidden<i> through relu and dropout, or (the last layer) into the logits. */
export function propagate(s: WebGpuEpochShape, i: number): Shader {
  const src = bufferSource(layerBuffer.lin(i), `O${i}`);
  const prefix = `propagate${i + 1}`;
  if (i === s.layers.length - 1) {
    const z = layerBuffer.prop(i);
    const fused = lossFused(s);
    return propagation(s, fused ? `${prefix}AndLoss` : prefix, 'a', src, i, z, { scalar: `${z}[idx] = acc;`, vector: `${z}[idx] = acc;` }, fused ? lossEpilogue(s) : undefined);
  }
  const out = layerBuffer.hidden(i);
  const fused = linFused(s, i + 1);
  return propagation(s, `${prefix}ReluDropout${fused ? `TimesW${i + 2}` : ''}`, 'a', src, i, out, {
    scalar: reluDropoutStore(out, i),
    vector: `${kept4(seedOf(i))}\n  ${out}[idx] = select(vec4<f32>(0.0), acc * SCALE, (acc > vec4<f32>(0.0)) & keep);`,
  }, fused ? linEpilogue(s, i + 1) : undefined);
}

/** The gradient wrt layer i's lin: A^T @ the gradient wrt its A product (with what `folded`, foldedLayers', takes in). */
export function propagateGrad(s: WebGpuEpochShape, i: number, folded: number[], slices: number): Shader {
  const dLin = backwardBuffers(s, i).dLin;
  const store = { scalar: `${dLin}[idx] = acc;`, vector: `${dLin}[idx] = acc;` };
  const src = bufferSource(gradientOf(s, i), `O${i}`);
  if (i > 0 && folded.includes(i)) return propagation(s, `propagate${i + 1}GradAndHiddenGrad`, 'aT', src, i, dLin, store, hiddenGradEpilogue(s, i));
  if (i === 0 && folded.length) {
    const name = `propagate1GradAndLayer${folded.map((j) => j + 1).join('And')}Grads`;
    return propagation(s, name, 'aT', src, i, dLin, store, undefined, folded.map((j) => weightSumsSegment(s, j, slices)));
  }
  return propagation(s, `propagate${i + 1}Grad`, 'aT', src, i, dLin, store);
}
