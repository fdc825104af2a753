// Dense copies of a graph's features and adjacency, refused up front when they would not fit in memory.
import { InvalidOptionError, MemoryLimitError } from '../errors.js';
import { memoryLimit } from './memory-limit.js';
import type { CsrMatrix } from '../sparse/index.js';
import type { Graph } from './types.js';

export interface DenseOptions {
  /** Largest allocation allowed, in bytes. Default: defaultDenseLimitBytes(). */
  maxBytes?: number;
  /** What the caller's user sets maxBytes with, named in the refusal (train() passes 'maxDenseBytes'). Default 'maxBytes'. */
  limitOption?: string;
}

/** A quarter of this machine's memory (of the cgroup's, in a container), at most half the address space left under ulimit -v. */
export function defaultDenseLimitBytes(): number {
  return memoryLimit(1 / 4).bytes;
}

/** nodes x features float32, row-major. */
export function denseFeatures(graph: Graph, options: DenseOptions = {}): Float32Array {
  return dense(graph.features, `dense features of '${graph.name}'`, options);
}

/** nodes x nodes float32, row-major: what the article's dense GCN multiplies by (PubMed: 1.6 GB). */
export function denseAdjacency(graph: Graph, options: DenseOptions = {}): Float32Array {
  return dense(graph.adjacency, `dense adjacency of '${graph.name}'`, options);
}

function dense(matrix: CsrMatrix, what: string, options: DenseOptions): Float32Array {
  const limit = options.maxBytes ?? defaultDenseLimitBytes();
  const option = options.limitOption ?? 'maxBytes';
  if (!(limit > 0)) throw new InvalidOptionError(option, options.maxBytes, 'a positive number of bytes');
  const bytes = matrix.rows * matrix.cols * 4;
  if (bytes > limit) {
    throw new MemoryLimitError(
      `${what} (${matrix.rows} x ${matrix.cols} float32)`,
      bytes,
      limit,
      `use the sparse CsrMatrix (${matrix.nnz} non-zeros, ${((matrix.nnz * 8) / 2 ** 20).toFixed(1)} MiB) instead, or raise ${option}`,
    );
  }
  return matrix.toDense();
}
