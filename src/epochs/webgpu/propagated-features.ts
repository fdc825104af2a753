// The first layer's A product done once per run instead of twice an epoch: A (X W + b) = [A X | A 1] [W; b], so a
// run that uploads X' = [A X | A 1] trains the first layer as a plain product (no A product forward, no A^T product
// backward: two dispatches fewer an epoch, and two passes over A), with the same parameters in the same order.
import { countNonZeros, CsrMatrix, rowPointersOf } from '../../sparse/index.js';
import { type EpochGraph, type EpochShape } from '../shape.js';
import { envSwitch } from './env-switch.js';

/**
 * Multiply-adds A X may take on the host at most (about a second of JavaScript): past it the run keeps X as it is.
 * Cora's dense X and A take 13,264 x 1,433 = 19 million.
 */
export const PROPAGATE_FEATURES_MAX_TERMS = 4e8;

/**
 * Why a run's first layer keeps its A products, or null where its features can be propagated up front.
 * GCNLAB_WEBGPU_PROPAGATED_FEATURES=off keeps them (to time both in one run).
 */
export function keepsFirstProduct(shape: Pick<EpochShape, 'features' | 'layers'>, graph: Pick<EpochGraph, 'adjacency'>, env: 'on' | 'off' = envSwitch('GCNLAB_WEBGPU_PROPAGATED_FEATURES')): string | null {
  if (env === 'off') return 'GCNLAB_WEBGPU_PROPAGATED_FEATURES=off';
  if (shape.features !== 'dense') return 'sparse X (A X would be far denser than X)';
  if (shape.layers.length < 2) return 'a single layer (its A product gives the logits the loss reads)';
  const k = shape.layers[0].inputs;
  // A CSR's every stored entry is a multiply-add of A X; a dense A's count stops once past the bound.
  const a = graph.adjacency;
  const terms = (a instanceof CsrMatrix ? a.values.length : countNonZeros(a, Math.floor(PROPAGATE_FEATURES_MAX_TERMS / k) + 1)) * k;
  const atLeast = a instanceof CsrMatrix ? '' : 'at least ';
  if (terms > PROPAGATE_FEATURES_MAX_TERMS) return `A X would take ${atLeast}${terms.toExponential(1)} multiply-adds on the host`;
  return null;
}

/**
 * The shape and graph a run's kernels take where keepsFirstProduct says null: the first layer's features
 * X' = [A X | A 1] (summed in float64; CSR where under half its entries are non-zero, and the shape's
 * features then 'sparse'), and the layer one input wider and without a bias (b is W's last
 * row: parameterSlots puts b right after W); without a bias, X' = A X.
 */
export function propagateFeatures<S extends EpochShape>(shape: S, graph: EpochGraph): { shape: S & { propagatedFeatures: true }; graph: EpochGraph } {
  const n = shape.nodes;
  const k = shape.layers[0].inputs;
  const x = graph.features as Float32Array;
  const bias = shape.layers[0].bias;
  const wide = bias ? k + 1 : k;
  const out = new Float32Array(n * wide);
  const row = new Float64Array(wide);
  const add = (a: number, j: number) => {
    const from = j * k;
    for (let c = 0; c < k; c++) row[c] += a * x[from + c];
    if (bias) row[k] += a;
  };
  const a = graph.adjacency;
  for (let i = 0; i < n; i++) {
    row.fill(0);
    if (a instanceof CsrMatrix) {
      for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) add(a.values[p], a.colIndex[p]);
    } else {
      for (let j = 0, at = i * n; j < n; j++) if (a[at + j] !== 0) add(a[at + j], j);
    }
    out.set(row, i * wide);
  }
  const first = { inputs: wide, outputs: shape.layers[0].outputs, bias: false };
  // X' goes up as CSR where under half its entries are non-zero, so that its 8 bytes an entry (column and value)
  // are fewer than the dense rows' 4 a float, and the kernels read no zeros. Cora's A X has 4.7% (X 1.3%): 1.5 MB
  // where its dense rows are 15.5, which the first layer's weight gradient read in 48 us on an H100
  // (gpu-2026-12-07-h100-cora-profiles-3746152.json), a workgroup per row of X'^T meeting each zero.
  const rowPtr = rowPointersOf(out, n, wide, Math.ceil(out.length / 2) - 1);
  const features = rowPtr ? CsrMatrix.fromDenseRows(n, wide, out, rowPtr) : out;
  return { shape: { ...shape, features: rowPtr ? 'sparse' : 'dense', layers: [first, ...shape.layers.slice(1)], propagatedFeatures: true }, graph: { ...graph, features } };
}
