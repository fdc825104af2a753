// Sparse matrices in host memory.
export { CsrMatrix } from './csr.js';
export { countNonZeros } from './non-zeros.js';
export { rowPointersOf } from './row-pointers.js';
