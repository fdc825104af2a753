// Seeded class-structured random graphs, Cora-like by default, built straight into CSR for scaling runs.
import { InvalidOptionError, MemoryLimitError } from '../errors.js';
import { checkOptionNames, type OptionNames } from '../option-names.js';
import { CsrMatrix } from '../sparse/index.js';
import { normalizeUndirected, undirectedAdjacency } from './adjacency.js';
import { rowNormalize } from './features.js';
import { memoryLimit } from './memory-limit.js';
import { seededRandom } from './random.js';
import type { Graph } from './types.js';

export interface SyntheticOptions {
  /** Default 2708 (Cora). */
  nodes?: number;
  /** Binary bag-of-words features; default 1433 (Cora). */
  features?: number;
  /** Default 7 (Cora). */
  classes?: number;
  /** Mean number of neighbours; default 3.9 (Cora). Duplicate draws are merged, so the result is a hair lower. */
  avgDegree?: number;
  /** Expected fraction of edges joining nodes of one class; default 0.81 (Cora's edge homophily). */
  homophily?: number;
  /** Words per node; default min(18, features/4) (Cora averages 18). */
  featuresPerNode?: number;
  /**
   * Expected fraction of a node's words drawn from its class's own vocabulary; default 0.2, which makes the
   * default graph about as hard as Cora (a class-centroid classifier on A^2 X scores ~0.8 on both).
   */
  featureSignal?: number;
  /**
   * Where a node's neighbours are in the node order. 'random' (default): anywhere, as in a graph whose nodes were
   * numbered at random. 'nearby': classes come in runs of 64 consecutive nodes and every edge joins nodes at most
   * 512 apart, as in a graph numbered by a crawl or reordered for locality; the neighbours a propagation reads then
   * sit close together in memory. The split's nodes are drawn across the whole graph either way. (Needs at least
   * 64 x classes nodes for every class to appear.)
   */
  locality?: 'random' | 'nearby';
  /** Default 0. */
  seed?: number;
  /** Training nodes per class (the first of each class); default 20, fewer on graphs too small for it. */
  trainPerClass?: number;
  /** Validation nodes (the next ones); default 500, fewer on small graphs. */
  valSize?: number;
  /** Test nodes (the next ones); default 1000, fewer on small graphs. */
  testSize?: number;
  /** Scale feature rows to sum 1 (default true). */
  normalizeFeatures?: boolean;
  /** Most memory the graph may take while it is built, in bytes. Default: half of this machine's memory (see memoryLimit). */
  maxBytes?: number;
}

/**
 * A graph a GCN can learn: each node gets a class; its words come partly from a vocabulary block of its class,
 * and each edge joins two nodes of one class with probability `homophily`. Linear time and memory in
 * nodes x (avgDegree + featuresPerNode): 10^6 nodes of degree 10 take a few seconds.
 */
/** Every option syntheticGraph() takes (see checkOptionNames). */
const SYNTHETIC_OPTIONS = {
  nodes: true, features: true, classes: true, avgDegree: true, homophily: true, featuresPerNode: true, featureSignal: true, locality: true,
  seed: true, trainPerClass: true, valSize: true, testSize: true, normalizeFeatures: true, maxBytes: true,
} satisfies OptionNames<SyntheticOptions>;

export function syntheticGraph(options: SyntheticOptions = {}): Graph {
  checkOptionNames('syntheticGraph()', options, SYNTHETIC_OPTIONS);
  const nodes = integer(options, 'nodes', 2708, 2);
  const features = integer(options, 'features', 1433, 1);
  const classes = integer(options, 'classes', 7, 1, nodes);
  const avgDegree = fraction(options, 'avgDegree', 3.9, 0, nodes - 1);
  const homophily = fraction(options, 'homophily', 0.81, 0, 1);
  const featuresPerNode = integer(options, 'featuresPerNode', Math.max(1, Math.min(18, Math.floor(features / 4))), 1, features);
  const featureSignal = fraction(options, 'featureSignal', 0.2, 0, 1);
  const seed = integer(options, 'seed', 0, -(2 ** 31), 2 ** 32 - 1);
  const locality = options.locality ?? 'random';
  if (locality !== 'random' && locality !== 'nearby') throw new InvalidOptionError('locality', locality, "'random' or 'nearby'");
  checkFits(nodes, avgDegree, featuresPerNode, options.maxBytes);
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);

  const labels = new Int32Array(nodes);
  for (let i = 0; i < nodes; i++) labels[i] = locality === 'nearby' ? Math.floor(i / RUN) % classes : pick(classes);
  const neighbour =
    locality === 'nearby'
      ? (u: number) => nearbyNeighbour(u, nodes, random() < homophily, pick)
      : classNeighbours(labels, classes, homophily, random, pick);

  const draws = Math.round((nodes * avgDegree) / 2);
  const source = new Int32Array(draws);
  const target = new Int32Array(draws);
  for (let k = 0; k < draws; k++) {
    const u = pick(nodes);
    source[k] = u;
    target[k] = neighbour(u);
  }
  const pattern = undirectedAdjacency(nodes, source, target);

  const raw = wordFeatures(nodes, features, classes, labels, featuresPerNode, featureSignal, random);
  // The split takes the first nodes of each class in this order: node order where it is random already, else a
  // shuffle, so that 'nearby' graphs too have their labelled nodes all over the graph rather than at its start.
  const split = splitByClass(nodes, classes, labels, options, locality === 'nearby' ? shuffled(nodes, random) : null);
  return {
    name: `synthetic-${nodes}-seed${seed}`,
    format: 'synthetic',
    numNodes: nodes,
    numFeatures: features,
    numClasses: classes,
    numEdges: pattern.nnz / 2,
    features: (options.normalizeFeatures ?? true) ? rowNormalize(raw) : raw,
    labels,
    adjacency: normalizeUndirected(pattern),
    ...split,
  };
}

/**
 * Peak bytes while building, per node, per drawn edge and per word: the edge lists, the adjacency before and
 * after normalisation, the features before and after row normalisation. An upper bound: 10^6 nodes of degree 10
 * are estimated at 736 MB and peaked at 524 MiB resident, Node itself included.
 */
const BYTES_PER_NODE = 64;
const BYTES_PER_DRAW = 48;
const BYTES_PER_WORD = 24;
/** CSR offsets are int32. */
const MAX_ENTRIES = 2 ** 31 - 1;

/** Refuses, before allocating anything, a graph this machine (or `maxBytes`) cannot hold, naming what would fit. */
function checkFits(nodes: number, avgDegree: number, featuresPerNode: number, maxBytes: number | undefined): void {
  const limit = maxBytes ?? memoryLimit(1 / 2).bytes;
  if (!(limit > 0)) throw new InvalidOptionError('maxBytes', maxBytes, 'a positive number of bytes');
  const perNode = BYTES_PER_NODE + (avgDegree / 2) * BYTES_PER_DRAW + featuresPerNode * BYTES_PER_WORD;
  const fitsEntries = Math.floor(MAX_ENTRIES / Math.max(avgDegree + 1, featuresPerNode));
  const fits = Math.min(Math.floor(limit / perNode), fitsEntries);
  if (nodes <= fits) return;
  throw new MemoryLimitError(
    `a synthetic graph of ${nodes} nodes (degree ${avgDegree}, ${featuresPerNode} words per node)`,
    nodes * perNode,
    limit,
    `at most ${fits} nodes fit${fits === fitsEntries ? ' (its CSR offsets are int32)' : ''}; ask for fewer nodes, a lower degree or fewer words per node`,
  );
}

/** Consecutive nodes of one class, and the farthest apart two neighbours are, with locality 'nearby'. */
const RUN = 64;
const REACH = 512;

/** A neighbour of u within REACH of it: in u's own run of one class (`sameClass`), else anywhere in reach. */
function nearbyNeighbour(u: number, nodes: number, sameClass: boolean, pick: (n: number) => number): number {
  if (sameClass) {
    const start = u - (u % RUN);
    return start + pick(Math.min(RUN, nodes - start));
  }
  const low = Math.max(0, u - REACH);
  return low + pick(Math.min(nodes, u + REACH + 1) - low);
}

/**
 * With locality 'random': a neighbour of u of its own class with probability `homophily`, else of another class,
 * each drawn uniformly from the nodes grouped by class (so "a random node of class c" is one draw).
 */
function classNeighbours(
  labels: Int32Array,
  classes: number,
  homophily: number,
  random: () => number,
  pick: (n: number) => number,
): (u: number) => number {
  const nodes = labels.length;
  const classStart = new Int32Array(classes + 1);
  for (let i = 0; i < nodes; i++) classStart[labels[i] + 1]++;
  for (let c = 0; c < classes; c++) classStart[c + 1] += classStart[c];
  const byClass = new Int32Array(nodes);
  const fill = classStart.slice(0, classes);
  for (let i = 0; i < nodes; i++) byClass[fill[labels[i]]++] = i;
  return (u) => {
    const start = classStart[labels[u]];
    const size = classStart[labels[u] + 1] - start;
    if (random() < homophily || size === nodes) return byClass[start + pick(size)];
    const t = pick(nodes - size);
    return byClass[t >= start ? t + size : t];
  };
}

function wordFeatures(
  nodes: number,
  features: number,
  classes: number,
  labels: Int32Array,
  perNode: number,
  signal: number,
  random: () => number,
): CsrMatrix {
  const block = Math.max(1, Math.floor(features / classes));
  const rowPtr = new Int32Array(nodes + 1);
  const cols = new Int32Array(nodes * perNode);
  const row = new Int32Array(perNode);
  let out = 0;
  for (let i = 0; i < nodes; i++) {
    const blockStart = (labels[i] * block) % features;
    for (let k = 0; k < perNode; k++) {
      row[k] = random() < signal ? (blockStart + Math.floor(random() * block)) % features : Math.floor(random() * features);
    }
    row.sort();
    for (let k = 0; k < perNode; k++) if (k === 0 || row[k] !== row[k - 1]) cols[out++] = row[k];
    rowPtr[i + 1] = out;
  }
  return new CsrMatrix(nodes, features, rowPtr, cols.slice(0, out), new Float32Array(out).fill(1));
}

/** 0 to n - 1 in a seeded random order (Fisher-Yates). */
function shuffled(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function splitByClass(
  nodes: number,
  classes: number,
  labels: Int32Array,
  options: SyntheticOptions,
  order: Int32Array | null,
): Pick<Graph, 'trainMask' | 'valMask' | 'testMask'> {
  const trainPerClass = integer(options, 'trainPerClass', Math.min(20, Math.floor((0.1 * nodes) / classes)), 0, nodes);
  const valSize = integer(options, 'valSize', Math.min(500, Math.floor(0.2 * nodes)), 0, nodes);
  const testSize = integer(options, 'testSize', Math.min(1000, Math.floor(0.4 * nodes)), 0, nodes);
  if (trainPerClass * classes + valSize + testSize > nodes) {
    throw new InvalidOptionError(
      'split',
      { trainPerClass, valSize, testSize },
      `at most ${nodes} nodes in all (trainPerClass x ${classes} classes + valSize + testSize)`,
    );
  }
  const trainMask = new Uint8Array(nodes);
  const valMask = new Uint8Array(nodes);
  const testMask = new Uint8Array(nodes);
  const taken = new Int32Array(classes);
  let val = 0;
  let test = 0;
  for (let k = 0; k < nodes; k++) {
    const i = order ? order[k] : k;
    if (taken[labels[i]] < trainPerClass) {
      taken[labels[i]]++;
      trainMask[i] = 1;
    } else if (val < valSize) {
      val++;
      valMask[i] = 1;
    } else if (test < testSize) {
      test++;
      testMask[i] = 1;
    }
  }
  return { trainMask, valMask, testMask };
}

function integer(options: SyntheticOptions, key: keyof SyntheticOptions, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(key, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function fraction(options: SyntheticOptions, key: keyof SyntheticOptions, fallback: number, min: number, max: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidOptionError(key, value, `a number from ${min} to ${max}`);
  }
  return value;
}
