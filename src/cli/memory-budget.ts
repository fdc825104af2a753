// Sizes named on the command line that the machine cannot hold: refused before allocating, with what would fit.
import { totalmem } from 'node:os';
import { UsageError } from './usage.js';

// Per hidden unit a training run keeps, per node, the layer's output, its dropout mask and their gradients
// (about 8 floats), and per input feature the weight, its gradient and Adam's two moments (4 floats).
const FLOATS_PER_NODE_UNIT = 8;
const FLOATS_PER_FEATURE_UNIT = 4;
// Per synthetic node: the features (and a normalised copy), each edge in both directions as index and weight,
// and the 16-unit hidden layer's working set.
const EDGE_BYTES = 24;
const HIDDEN_BYTES_PER_NODE = 16 * FLOATS_PER_NODE_UNIT * 4;
// wasm32 addresses at most 4 GiB: tfjs's wasm heap and gcnlab's epochs live inside it.
const WASM_BYTES = 4 * 2 ** 30;

/** What one device may use: a quarter of this machine's memory (as dense copies are allowed), less on wasm. */
export function memoryBudget(devices: readonly string[]): { bytes: number; what: string } {
  const machine = Math.floor(totalmem() / 4);
  if (devices.includes('wasm') && WASM_BYTES < machine) return { bytes: WASM_BYTES, what: 'the 4 GiB the wasm device addresses' };
  return { bytes: machine, what: `a quarter of this machine's ${gib(totalmem())} memory` };
}

/** `--hidden` for a graph of `nodes` x `features`. */
export function checkHidden(hidden: number, graph: { name: string; numNodes: number; numFeatures: number }, device: string): void {
  const perUnit = 4 * (graph.numNodes * FLOATS_PER_NODE_UNIT + graph.numFeatures * FLOATS_PER_FEATURE_UNIT);
  const budget = memoryBudget([device]);
  if (hidden * perUnit <= budget.bytes) return;
  throw new UsageError(
    `--hidden ${hidden} needs about ${gib(hidden * perUnit)} for ${graph.name} (${graph.numNodes} nodes, ${graph.numFeatures} features), ` +
      `more than ${budget.what}: at most --hidden ${Math.floor(budget.bytes / perUnit)} fits`,
  );
}

/** `scale --sizes` and `--features`: every synthetic graph must fit, and hold its average degree. */
export function checkScaling(sizes: readonly number[], features: number, degree: number, devices: readonly string[]): void {
  for (const nodes of sizes) {
    if (nodes <= degree) {
      throw new UsageError(`--sizes ${nodes}: a graph of ${nodes} nodes cannot have average degree ${degree} (--degree); use at least ${degree + 1} nodes or a smaller --degree`);
    }
  }
  const budget = memoryBudget(devices);
  const largest = Math.max(...sizes);
  const perNode = features * 4 * 2 + degree * EDGE_BYTES * 2 + HIDDEN_BYTES_PER_NODE;
  if (largest * perNode <= budget.bytes) return;
  const fixedPerNode = degree * EDGE_BYTES * 2 + HIDDEN_BYTES_PER_NODE;
  const maxNodes = Math.floor(budget.bytes / perNode);
  const maxFeatures = Math.floor((budget.bytes / largest - fixedPerNode) / 8);
  const fits = [
    maxNodes > degree ? `at most ${maxNodes} nodes fit with --features ${features}` : undefined,
    maxFeatures >= 1 ? `at most --features ${maxFeatures} fits at ${largest} nodes` : undefined,
  ].filter(Boolean);
  throw new UsageError(
    `--sizes ${largest} with --features ${features} needs about ${gib(largest * perNode)}, more than ${budget.what}: ` +
      (fits.length ? fits.join(', or ') : `no graph of average degree ${degree} fits`),
  );
}

function gib(bytes: number): string {
  return bytes >= 2 ** 40 ? `${(bytes / 2 ** 40).toFixed(1)} TiB` : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
