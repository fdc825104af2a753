// What every dataset loader returns: one graph, ready for the GCN.
import type { CsrMatrix } from '../sparse/index.js';

export const DATASET_NAMES = ['cora', 'citeseer', 'pubmed'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface Graph {
  /** 'cora', 'citeseer', 'pubmed', or 'synthetic-…'. */
  name: string;
  /** Where it came from: 'planetoid' (public split), 'linqs' (the article's split) or 'synthetic'. */
  format: 'planetoid' | 'linqs' | 'synthetic';
  numNodes: number;
  numFeatures: number;
  numClasses: number;
  /** Undirected edges, without self loops. */
  numEdges: number;
  /** Node features, nodes x features, rows normalised to sum 1 as Kipf's GCN does (unless loaded with normalizeFeatures: false: the article's raw 0/1). */
  features: CsrMatrix;
  /** Class of each node, 0..numClasses-1. */
  labels: Int32Array;
  /** The normalised adjacency D^-1/2 (A+I) D^-1/2, nodes x nodes, symmetric. */
  adjacency: CsrMatrix;
  trainMask: Uint8Array;
  valMask: Uint8Array;
  testMask: Uint8Array;
  /** The class name behind each label, where the files name them (LINQS). */
  classNames?: string[];
}
