// Child of the hostile-input tests: makes one loader call on crafted input and prints the typed error it got as
// one JSON line. Exits 0 on a typed (GcnlabError) error or none, 1 on any other error: that one is the bug.
// Plain JavaScript on the built dist/ (npm run build): tsx's loader instantiates WebAssembly, which cannot start
// under the 3 GB address-space limit these runs are held to (see limited.ts).
import { join } from 'node:path';
import { loadDataset, syntheticGraph } from '../../dist/src/data/index.js';
import { readDataFile } from '../../dist/src/data/files.js';
import { PLANETOID_EXTENSIONS, planetoidGraph } from '../../dist/src/data/planetoid.js';
import { GcnlabError } from '../../dist/src/errors.js';
import { GCN } from '../../dist/src/nn/index.js';
import { CsrMatrix } from '../../dist/src/sparse/index.js';

const call = JSON.parse(process.argv[2]);

/**
 * CiteSeer's files are pinned by SHA-256, so the loader rejects any crafted one before parsing it. This assembles
 * the folder's files as loadDataset does after that check (read through the same guarded reader): what a mirror or
 * an unpinned first download reached before the pin, and what the parsers must survive regardless.
 */
async function planetoid(dir) {
  const files = new Map();
  for (const ext of PLANETOID_EXTENSIONS) files.set(ext, await readDataFile(join(dir, 'citeseer', `ind.citeseer.${ext}`)));
  return planetoidGraph('citeseer', files, { normalizeFeatures: true });
}

const calls = {
  planetoid: () => planetoid(call.dir),
  load: () => loadDataset(call.dataset, call.options),
  synthetic: () => syntheticGraph(call.options),
  gcn: () => new GCN(call.options),
  // Built, then used as training would: its rows selected (the split) and its transpose taken (the backward pass).
  csr: () => {
    const matrix = new CsrMatrix(call.rows, call.cols, Int32Array.from(call.rowPtr), Int32Array.from(call.colIndex), Float32Array.from(call.values));
    matrix.selectRows([0, 1]);
    matrix.transpose();
  },
};

try {
  await calls[call.call]();
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  if (!(error instanceof GcnlabError)) {
    console.error(error);
    process.exit(1);
  }
  console.log(JSON.stringify({ error: error.name, code: error.code, message: error.message }));
}
