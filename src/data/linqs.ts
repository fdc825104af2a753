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
 * Far above any LINQS dataset (CiteSeer, the largest here: 3312 papers, 4732 citations, 3703 words; PubMed, in its
 * other layout, 19717 papers), and low enough that a file of millions of tiny lines is refused in seconds: 10 million
 * one-word papers fit a 24 MB tarball and took 2 GB of strings before the process aborted.
 */
export const LINQS_LIMITS = { papers: 200_000, citations: 1_000_000, words: 100_000 } as const;

/**
 * Nodes in content-file order; labels numbered by sorted class name (the article's set() order is arbitrary);
 * citations made undirected and deduplicated. Citations naming a paper absent from the content file are skipped
 * (LINQS Citeseer has some). Read a line at a time into typed arrays: only the paper ids are kept as strings.
 */
export function linqsGraph(dataset: string, files: LinqsFiles, options: LinqsOptions): Graph {
  const contentFile = `${dataset}.content`;
  const citesFile = `${dataset}.cites`;
  const index = new Map<string, number>();
  const classIds = new Map<string, number>();
  const rawLabels = new Growing(Int32Array);
  const rowPtr = new Growing(Int32Array);
  const cols = new Growing(Int32Array);
  const values = new Growing(Float32Array);
  rowPtr.push(0);
  let numFeatures = 0;
  let n = 0;
  for (const line of lines(files.content)) {
    if (n === 0 && !fewerWords(line, LINQS_LIMITS.words + 3)) {
      throw new DataFormatError(contentFile, `line 1 has more than ${LINQS_LIMITS.words} features, far more than a LINQS dataset's vocabulary`);
    }
    if (n === LINQS_LIMITS.papers) {
      throw new DataFormatError(contentFile, `it holds more than ${LINQS_LIMITS.papers} papers, far more than a LINQS dataset (CiteSeer has 3312)`);
    }
    // Every later line must have line 1's words: counted before splitting, so a huge line allocates nothing.
    if (n > 0 && !fewerWords(line, numFeatures + 3)) {
      throw new DataFormatError(contentFile, `line ${n + 1} has more than ${numFeatures} features but line 1 has ${numFeatures}`);
    }
    const row = line.split(ASCII_SPACES);
    if (n === 0) {
      numFeatures = row.length - 2;
      if (numFeatures < 1) throw new DataFormatError(contentFile, 'line 1 has no features: expected "<id> <features...> <label>"');
    }
    if (row.length !== numFeatures + 2) {
      throw new DataFormatError(contentFile, `line ${n + 1} has ${row.length - 2} features but line 1 has ${numFeatures}`);
    }
    if (index.has(row[0])) throw new DataFormatError(contentFile, `paper id '${row[0].slice(0, 40)}' appears twice (line ${n + 1})`);
    index.set(row[0], n);
    for (let j = 0; j < numFeatures; j++) {
      const value = Number(row[j + 1]);
      if (!Number.isFinite(value)) throw new DataFormatError(contentFile, `line ${n + 1}, feature ${j + 1} is '${row[j + 1].slice(0, 40)}', not a finite number`);
      if (value !== 0) {
        cols.push(j);
        values.push(value);
      }
    }
    rowPtr.push(cols.length);
    const label = row[row.length - 1];
    if (!classIds.has(label)) classIds.set(label, classIds.size);
    rawLabels.push(classIds.get(label)!);
    n++;
  }
  if (n === 0) throw new DataFormatError(contentFile, 'no nodes');
  const classNames = [...classIds.keys()].sort();
  const sortedId = new Int32Array(classIds.size);
  classNames.forEach((name, k) => (sortedId[classIds.get(name)!] = k));
  const labels = rawLabels.array().map((id) => sortedId[id]);
  const raw = new CsrMatrix(n, numFeatures, rowPtr.array(), cols.array(), values.array());

  const source = new Growing(Int32Array);
  const target = new Growing(Int32Array);
  let k = 0;
  for (const line of lines(files.cites)) {
    if (k === LINQS_LIMITS.citations) {
      throw new DataFormatError(citesFile, `it holds more than ${LINQS_LIMITS.citations} citations, far more than a LINQS dataset (CiteSeer has 4732)`);
    }
    const ends = twoWords(line);
    if (!ends) throw new DataFormatError(citesFile, `line ${k + 1} is '${line.slice(0, 60)}', expected "<cited id> <citing id>"`);
    const a = index.get(ends[0]);
    const b = index.get(ends[1]);
    if (a !== undefined && b !== undefined) {
      source.push(a);
      target.push(b);
    }
    k++;
  }
  const pattern = undirectedAdjacency(n, source.array(), target.array());
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

/** The file's non-empty lines, trimmed, one at a time (a file of millions of lines is never held as an array of them). */
function* lines(bytes: Uint8Array): Generator<string> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = trimAscii(text.slice(at, end));
    if (line !== '') yield line;
    at = end + 1;
  }
}

/** A trimmed line's two words, split at its one run of whitespace; undefined unless it has exactly two. */
function twoWords(line: string): [string, string] | undefined {
  let end = 0;
  while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
  let start = end;
  while (start < line.length && isSpace(line.charCodeAt(start))) start++;
  if (end === line.length) return undefined;
  for (let i = start; i < line.length; i++) if (isSpace(line.charCodeAt(i))) return undefined;
  return [line.slice(0, end), line.slice(start)];
}

/** Whether a trimmed line has fewer than `limit` whitespace-separated words, counted without splitting it. */
function fewerWords(line: string, limit: number): boolean {
  let words = 1;
  for (let i = 1; i < line.length; i++) {
    if (isSpace(line.charCodeAt(i)) && !isSpace(line.charCodeAt(i - 1)) && ++words >= limit) return false;
  }
  return true;
}

// LINQS files separate words with ASCII blanks. Counting, trimming and splitting all use these five, so a line of
// other Unicode spaces (U+00A0, U+3000) is one word to every step, never millions to split past the word count.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c;
const ASCII_SPACES = /[ \t\r\v\f]+/;

/** `line` without the ASCII blanks at its ends (by index: a regular expression anchored at the end is quadratic on a long run of blanks). */
function trimAscii(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

/** An append-only typed array that doubles as it fills. */
class Growing<T extends Int32Array | Float32Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: new (length: number) => T) {
    this.data = new make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed, in a typed array of their own length. */
  array(): T {
    return this.data.slice(0, this.length) as T;
  }
}
