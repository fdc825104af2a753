// Assembles a LINQS dataset (NAME.content + NAME.cites, the article's input) into a Graph with the article's split.
import { DataFormatError } from '../errors.js';
import { CsrMatrix } from '../sparse/index.js';
import { normalizeUndirected, undirectedAdjacency } from './adjacency.js';
import { rowNormalize } from './features.js';
import { rangeMask } from './masks.js';
import { readTarGz } from './tar.js';
import type { Graph } from './types.js';

/** The seed article's split, in file order: train 0..139, validation 200..499, test 500..1499. */
export const ARTICLE_SPLIT = { train: [0, 140], val: [200, 500], test: [500, 1500] } as const;

export interface LinqsFiles {
  content: Uint8Array;
  cites: Uint8Array;
}

/** Pulls NAME.content and NAME.cites out of LINQS's NAME.tgz (they sit in a NAME/ folder there). */
export function linqsFilesFromArchive(dataset: string, archive: Uint8Array, file: string): LinqsFiles {
  const entries = readTarGz(archive, file);
  const find = (suffix: string) => {
    for (const [path, bytes] of entries) if (path.split('/').pop() === `${dataset}.${suffix}`) return bytes;
    throw new DataFormatError(file, `holds no ${dataset}.${suffix} (found ${[...entries.keys()].join(', ') || 'nothing'})`);
  };
  return { content: find('content'), cites: find('cites') };
}

export interface LinqsOptions {
  normalizeFeatures: boolean;
}

/**
 * Nodes in content-file order; labels numbered by sorted class name (the article's set() order is arbitrary);
 * citations made undirected and deduplicated. Citations naming a paper absent from the content file are skipped
 * (LINQS Citeseer has some).
 */
export function linqsGraph(dataset: string, files: LinqsFiles, options: LinqsOptions): Graph {
  const contentFile = `${dataset}.content`;
  const citesFile = `${dataset}.cites`;
  const rows = lines(files.content).map((line) => line.split(/\s+/));
  if (rows.length === 0) throw new DataFormatError(contentFile, 'no nodes');
  const numFeatures = rows[0].length - 2;
  if (numFeatures < 1) throw new DataFormatError(contentFile, 'line 1 has no features: expected "<id> <features...> <label>"');

  const index = new Map<string, number>();
  const classNames = [...new Set(rows.map((row) => row[row.length - 1]))].sort();
  const classOf = new Map(classNames.map((name, k) => [name, k]));
  const labels = new Int32Array(rows.length);
  const rowPtr = new Int32Array(rows.length + 1);
  const cols: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => {
    if (row.length !== numFeatures + 2) {
      throw new DataFormatError(contentFile, `line ${i + 1} has ${row.length - 2} features but line 1 has ${numFeatures}`);
    }
    if (index.has(row[0])) throw new DataFormatError(contentFile, `paper id '${row[0]}' appears twice (line ${i + 1})`);
    index.set(row[0], i);
    for (let j = 0; j < numFeatures; j++) {
      const value = Number(row[j + 1]);
      if (!Number.isFinite(value)) throw new DataFormatError(contentFile, `line ${i + 1}, feature ${j + 1} is '${row[j + 1].slice(0, 40)}', not a finite number`);
      if (value !== 0) {
        cols.push(j);
        values.push(value);
      }
    }
    rowPtr[i + 1] = cols.length;
    labels[i] = classOf.get(row[row.length - 1])!;
  });
  const raw = new CsrMatrix(rows.length, numFeatures, rowPtr, Int32Array.from(cols), Float32Array.from(values));

  const source: number[] = [];
  const target: number[] = [];
  lines(files.cites).forEach((line, k) => {
    const ends = line.split(/\s+/);
    if (ends.length !== 2) throw new DataFormatError(citesFile, `line ${k + 1} is '${line.slice(0, 60)}', expected "<cited id> <citing id>"`);
    const [a, b] = ends.map((id) => index.get(id));
    if (a !== undefined && b !== undefined) {
      source.push(a);
      target.push(b);
    }
  });
  const pattern = undirectedAdjacency(rows.length, source, target);
  const n = rows.length;
  return {
    name: dataset,
    format: 'linqs',
    numNodes: n,
    numFeatures,
    numClasses: classNames.length,
    numEdges: pattern.nnz / 2,
    features: options.normalizeFeatures ? rowNormalize(raw) : raw,
    labels,
    adjacency: normalizeUndirected(pattern),
    trainMask: rangeMask(n, ...ARTICLE_SPLIT.train),
    valMask: rangeMask(n, ...ARTICLE_SPLIT.val),
    testMask: rangeMask(n, ...ARTICLE_SPLIT.test),
    classNames,
  };
}

function lines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
