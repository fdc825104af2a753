// Sizes named on the command line that the machine cannot hold: refused before allocating, with what would fit.
import { MemoryLimitError } from '../errors.js';
import type { EpochLayer } from '../epochs/index.js';
import { memoryLimit, type MemoryLimit } from '../data/index.js';
import { checkEpochFits, WASM_MEMORY_BYTES, widestHiddenThatFits } from '../train/index.js';
import { UsageError } from './usage.js';

// Per synthetic node: the features (and a normalised copy), each edge in both directions as index and weight,
// and the 16-unit hidden layer's working set (its output, dropout mask and their gradients: about 8 floats a unit).
const EDGE_BYTES = 24;
const HIDDEN_BYTES_PER_NODE = 16 * 8 * 4;

/**
 * What one device may use: what dense copies are allowed (a quarter of this machine's memory, of the cgroup's, at most
 * half the address space left under ulimit -v), less on wasm; `what` names the figure that bounds it.
 */
export function memoryBudget(devices: readonly string[]): MemoryLimit {
  const machine = memoryLimit(1 / 4);
  if (devices.includes('wasm') && WASM_MEMORY_BYTES < machine.bytes) return { bytes: WASM_MEMORY_BYTES, what: 'the 4 GiB the wasm device addresses' };
  return machine;
}

interface GraphSize {
  name: string;
  numNodes: number;
  numFeatures: number;
  numClasses: number;
}

/**
 * `--hidden` on `graph`, on the current device: refused exactly where train() refuses the epoch (train's
 * checkEpochFits is the one rule), before any weight is allocated, naming the widest --hidden train() accepts.
 */
export function checkHidden(hidden: number, graph: GraphSize): void {
  const refusal = epochRefusal(hidden, graph);
  if (!refusal) return;
  const fits = widestHiddenThatFits(modelShape(graph.numFeatures, hidden, graph.numClasses), graph.numNodes);
  throw new UsageError(
    `--hidden ${hidden} needs ${(refusal.bytes / 2 ** 30).toFixed(2)} GiB for one epoch on ${graph.name} (${graph.numNodes} nodes, ` +
      `${graph.numFeatures} features), more than the ${(refusal.limitBytes! / 2 ** 30).toFixed(2)} GiB an epoch may take here: ` +
      (fits > 0 ? `at most --hidden ${fits} fits` : `not even --hidden 1 fits; use a smaller graph`),
  );
}

/** train()'s refusal of the CLI's model (xDim -> hidden -> outDim, with biases) on `graph`, or undefined where it fits. */
function epochRefusal(hidden: number, graph: GraphSize): MemoryLimitError | undefined {
  try {
    checkEpochFits(modelShape(graph.numFeatures, hidden, graph.numClasses), graph.numNodes);
    return undefined;
  } catch (error) {
    if (error instanceof MemoryLimitError) return error;
    throw error;
  }
}

// new GCN would allocate xDim x hidden weights first, so the CLI hands over the layers of the model it is about to build.
function modelShape(xDim: number, hDim: number, outDim: number): EpochLayer[] {
  return [
    { inputs: xDim, outputs: hDim, bias: true },
    { inputs: hDim, outputs: outDim, bias: true },
  ];
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
