// Feature preprocessing: each node's feature row scaled to sum 1 (Kipf's GCN and the PyTorch peers do it; the article's code feeds raw 0/1 features).
import { CsrMatrix } from '../sparse/index.js';

/** Rows scaled to sum 1; all-zero rows stay zero. */
export function rowNormalize(features: CsrMatrix): CsrMatrix {
  const values = new Float32Array(features.nnz);
  for (let i = 0; i < features.rows; i++) {
    const start = features.rowPtr[i];
    const end = features.rowPtr[i + 1];
    let sum = 0;
    for (let k = start; k < end; k++) sum += features.values[k];
    for (let k = start; k < end; k++) values[k] = sum === 0 ? 0 : features.values[k] / sum;
  }
  return new CsrMatrix(features.rows, features.cols, features.rowPtr, features.colIndex, values);
}
