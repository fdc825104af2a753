// Writes a gcnlab Graph as raw arrays + meta.json, for the PyTorch peer to read with numpy (no scipy needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../src/index.js';

export function exportGraph(graph: Graph, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, a: ArrayBufferView) => writeFileSync(join(dir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  write('featuresRowPtr', graph.features.rowPtr);
  write('featuresColIndex', graph.features.colIndex);
  write('featuresValues', graph.features.values);
  write('adjacencyRowPtr', graph.adjacency.rowPtr);
  write('adjacencyColIndex', graph.adjacency.colIndex);
  write('adjacencyValues', graph.adjacency.values);
  write('labels', graph.labels);
  write('trainMask', graph.trainMask);
  write('valMask', graph.valMask);
  write('testMask', graph.testMask);
  const { name, format, numNodes, numFeatures, numClasses, numEdges } = graph;
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ name, format, numNodes, numFeatures, numClasses, numEdges }));
}
