// Assembles a Planetoid dataset (ind.NAME.*) into a Graph with the standard public split.
import { DataFormatError } from '../errors.js';
import { CsrMatrix } from '../sparse/index.js';
import { normalizeUndirected, undirectedAdjacency } from './adjacency.js';
import { rowNormalize } from './features.js';
import { indexMask, rangeMask } from './masks.js';
import { expectAdjacencyList, expectCsr, expectNdArray, unpickle, type NdArray, type ScipyCsr } from './pickle.js';
import type { Graph } from './types.js';

export const PLANETOID_EXTENSIONS = ['x', 'y', 'tx', 'ty', 'allx', 'ally', 'graph', 'test.index'] as const;
export type PlanetoidExtension = (typeof PLANETOID_EXTENSIONS)[number];

/** Size of the validation set of the public split (Yang et al. 2016; Kipf & Welling 2017). */
const VALIDATION_SIZE = 500;

export function planetoidFileName(dataset: string, ext: PlanetoidExtension): string {
  return `ind.${dataset}.${ext}`;
}

/** Test ids, one per line, in the order of the tx/ty rows: read byte by byte into int32, no per-line strings. */
export function parseTestIndex(bytes: Uint8Array, file: string): Int32Array {
  let lines = 1;
  for (const b of bytes) if (b === 0x0a) lines++;
  const ids = new Int32Array(lines);
  let count = 0;
  let line = 1;
  for (let at = 0; at < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    let start = at;
    let stop = end;
    while (start < stop && isSpace(bytes[start])) start++;
    while (stop > start && isSpace(bytes[stop - 1])) stop--;
    if (stop > start) {
      let id = 0;
      for (let k = start; k < stop && id <= MAX_ID; k++) id = bytes[k] >= 0x30 && bytes[k] <= 0x39 ? id * 10 + bytes[k] - 0x30 : NaN;
      if (!(id <= MAX_ID)) {
        const text = Buffer.from(bytes.subarray(start, Math.min(stop, start + 40))).toString('latin1');
        throw new DataFormatError(file, `line ${line} is '${text}', expected a node id from 0 to ${MAX_ID}`);
      }
      ids[count++] = id;
    }
    at = end + 1;
  }
  if (count === 0) throw new DataFormatError(file, 'no test ids');
  return ids.slice(0, count);
}

const MAX_ID = 2 ** 31 - 2;
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d;

/** Checks one downloaded file parses as what its name says; throws DataFormatError if not. */
export function validatePlanetoidFile(ext: PlanetoidExtension, bytes: Uint8Array, file: string): void {
  if (ext === 'test.index') parseTestIndex(bytes, file);
  else if (ext === 'graph') expectAdjacencyList(unpickle(bytes, file), file, bytes.length);
  else if (ext.endsWith('x')) expectCsr(unpickle(bytes, file), file);
  else expectNdArray(unpickle(bytes, file), file, 2);
}

export interface PlanetoidOptions {
  normalizeFeatures: boolean;
}

/**
 * Builds the graph as PyG and Kipf's loader do: nodes are allx rows, then the test range; tx/ty row k belongs to
 * node test.index[k] (the rows are stored in test.index order); ids in the test range without a row (Citeseer has
 * 15) get zero features and label 0 and are in no split. Train = the first y.rows nodes, validation = the next 500.
 */
export function planetoidGraph(
  dataset: string,
  files: ReadonlyMap<PlanetoidExtension, Uint8Array>,
  options: PlanetoidOptions,
): Graph {
  const read = (ext: PlanetoidExtension) => ({ file: planetoidFileName(dataset, ext), bytes: files.get(ext)! });
  const csr = (ext: PlanetoidExtension) => expectCsr(unpickle(read(ext).bytes, read(ext).file), read(ext).file);
  const onehot = (ext: PlanetoidExtension) => expectNdArray(unpickle(read(ext).bytes, read(ext).file), read(ext).file, 2);
  const x = csr('x');
  const allx = csr('allx');
  const tx = csr('tx');
  const y = onehot('y');
  const ally = onehot('ally');
  const ty = onehot('ty');
  const testIds = parseTestIndex(read('test.index').bytes, read('test.index').file);
  const graphFile = read('graph').file;
  const lists = expectAdjacencyList(unpickle(read('graph').bytes, graphFile), graphFile, read('graph').bytes.length);

  const numClasses = y.shape[1];
  const numFeatures = allx.cols;
  checkShapes(dataset, { x, allx, tx, y, ally, ty, testIds, numClasses, numFeatures });
  const numNodes = nodeCount(allx.rows, tx.rows, testIds, read('test.index').file);

  // Where each node's features and label come from: [matrix, row], or none.
  const sourceRow = new Int32Array(numNodes).fill(-1);
  const fromTest = new Uint8Array(numNodes);
  for (let i = 0; i < allx.rows; i++) sourceRow[i] = i;
  testIds.forEach((id, k) => {
    if (id < allx.rows || sourceRow[id] !== -1) {
      throw new DataFormatError(read('test.index').file, `test id ${id} overlaps the allx rows or repeats`);
    }
    sourceRow[id] = k;
    fromTest[id] = 1;
  });

  const rawFeatures = gatherRows(numNodes, numFeatures, (i) => (sourceRow[i] < 0 ? null : [fromTest[i] ? tx : allx, sourceRow[i]]));
  const labels = new Int32Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    if (sourceRow[i] >= 0) labels[i] = argmax(fromTest[i] ? ty : ally, sourceRow[i]);
  }

  const { source, target } = edgeList(lists, numNodes, graphFile);
  const pattern = undirectedAdjacency(numNodes, source, target);
  return {
    name: dataset,
    format: 'planetoid',
    numNodes,
    numFeatures,
    numClasses,
    numEdges: pattern.nnz / 2,
    features: options.normalizeFeatures ? rowNormalize(rawFeatures) : rawFeatures,
    labels,
    adjacency: normalizeUndirected(pattern),
    trainMask: rangeMask(numNodes, 0, y.shape[0]),
    valMask: rangeMask(numNodes, y.shape[0], y.shape[0] + VALIDATION_SIZE),
    testMask: indexMask(numNodes, testIds),
  };
}

/**
 * allx rows, then the test range. Ids past the rows are allowed (CiteSeer's test range has 15 ids without a row),
 * but no more of them than there are rows, so the node count stays within what the files themselves describe.
 */
function nodeCount(allxRows: number, txRows: number, testIds: Int32Array, file: string): number {
  const limit = allxRows + 2 * txRows;
  let last = allxRows + txRows - 1;
  for (const id of testIds) {
    if (id >= limit) {
      throw new DataFormatError(file, `test id ${id} is past ${limit - 1}, the last id that ${allxRows} allx rows and ${txRows} tx rows allow`);
    }
    if (id > last) last = id;
  }
  return last + 1;
}

function checkShapes(
  dataset: string,
  p: { x: ScipyCsr; allx: ScipyCsr; tx: ScipyCsr; y: NdArray; ally: NdArray; ty: NdArray; testIds: Int32Array; numClasses: number; numFeatures: number },
): void {
  const expect = (ext: PlanetoidExtension, ok: boolean, detail: string) => {
    if (!ok) throw new DataFormatError(planetoidFileName(dataset, ext), detail);
  };
  expect('y', p.x.rows > 0 && p.numClasses > 0, `has shape (${p.y.shape}): no training nodes or no classes`);
  expect('x', p.x.cols === p.numFeatures, `has ${p.x.cols} feature columns but allx has ${p.numFeatures}`);
  expect('tx', p.tx.cols === p.numFeatures, `has ${p.tx.cols} feature columns but allx has ${p.numFeatures}`);
  expect('y', p.y.shape[0] === p.x.rows, `has ${p.y.shape[0]} label rows but x has ${p.x.rows} rows`);
  expect('ally', p.ally.shape[0] === p.allx.rows && p.ally.shape[1] === p.numClasses, `has shape (${p.ally.shape}) but (${p.allx.rows}, ${p.numClasses}) was expected`);
  expect('ty', p.ty.shape[0] === p.tx.rows && p.ty.shape[1] === p.numClasses, `has shape (${p.ty.shape}) but (${p.tx.rows}, ${p.numClasses}) was expected`);
  expect('test.index', p.testIds.length === p.tx.rows, `has ${p.testIds.length} ids but tx has ${p.tx.rows} rows`);
  expect('ally', p.allx.rows >= p.x.rows + VALIDATION_SIZE, `has ${p.allx.rows} rows, too few for ${p.x.rows} training and ${VALIDATION_SIZE} validation nodes`);
}

/** CSR whose row i is row `pick(i)` of another CSR (or empty), with columns sorted as CsrMatrix requires. */
function gatherRows(numNodes: number, numFeatures: number, pick: (node: number) => [ScipyCsr, number] | null): CsrMatrix {
  const rowPtr = new Int32Array(numNodes + 1);
  for (let i = 0; i < numNodes; i++) {
    const p = pick(i);
    rowPtr[i + 1] = rowPtr[i] + (p ? p[0].indptr[p[1] + 1] - p[0].indptr[p[1]] : 0);
  }
  const cols = new Int32Array(rowPtr[numNodes]);
  const values = new Float32Array(rowPtr[numNodes]);
  for (let i = 0; i < numNodes; i++) {
    const p = pick(i);
    if (!p) continue;
    const [m, r] = p;
    const start = m.indptr[r];
    const order = Array.from({ length: m.indptr[r + 1] - start }, (_, k) => start + k).sort((a, b) => m.indices[a] - m.indices[b]);
    order.forEach((k, at) => {
      cols[rowPtr[i] + at] = m.indices[k];
      values[rowPtr[i] + at] = m.data[k];
    });
  }
  return new CsrMatrix(numNodes, numFeatures, rowPtr, cols, values);
}

function argmax(onehot: NdArray, row: number): number {
  const width = onehot.shape[1];
  let best = 0;
  for (let j = 1; j < width; j++) if (onehot.data[row * width + j] > onehot.data[row * width + best]) best = j;
  return best;
}

function edgeList(lists: Map<number, number[]>, numNodes: number, file: string): { source: Int32Array; target: Int32Array } {
  let total = 0;
  for (const neighbours of lists.values()) total += neighbours.length;
  const source = new Int32Array(total);
  const target = new Int32Array(total);
  let k = 0;
  for (const [node, neighbours] of lists) {
    for (const other of neighbours) {
      if (node < 0 || node >= numNodes || other < 0 || other >= numNodes) {
        throw new DataFormatError(file, `edge (${node}, ${other}) names a node outside 0..${numNodes - 1}`);
      }
      source[k] = node;
      target[k++] = other;
    }
  }
  return { source, target };
}
