// LINQS-format files for tests: text derived from a loaded graph, and .tgz archives like LINQS ships.
import { gzipSync } from 'node:zlib';
import type { Graph } from '../../src/data/index.js';

/** NAME.content / NAME.cites text for a graph loaded with normalizeFeatures: false (paper ids 1000 + node). */
export function linqsText(graph: Graph): { content: string; cites: string } {
  const { features, adjacency } = graph;
  const content: string[] = [];
  for (let i = 0; i < graph.numNodes; i++) {
    const words = new Array<string>(graph.numFeatures).fill('0');
    for (let k = features.rowPtr[i]; k < features.rowPtr[i + 1]; k++) words[features.colIndex[k]] = String(features.values[k]);
    content.push(`${1000 + i}\t${words.join('\t')}\tclass_${graph.labels[i]}`);
  }
  const cites: string[] = [];
  for (let i = 0; i < graph.numNodes; i++) {
    for (let k = adjacency.rowPtr[i]; k < adjacency.rowPtr[i + 1]; k++) {
      if (adjacency.colIndex[k] > i) cites.push(`${1000 + adjacency.colIndex[k]}\t${1000 + i}`);
    }
  }
  return { content: content.join('\n') + '\n', cites: cites.join('\n') + '\n' };
}

/** A gzipped ustar archive of the given files. */
export function tarGz(files: Record<string, string | Uint8Array>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const body = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
