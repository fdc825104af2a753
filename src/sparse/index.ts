// Sparse matrices in host memory.
export { CsrMatrix } from './csr.js';
