// Sparse matrices in host memory.
export { CsrMatrix } from './csr.js';
export { rowPointersOf } from './row-pointers.js';
