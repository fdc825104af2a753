// The JupyterLab debugger for TypeScript cells: the DAP adapter (control thread) and the cells' naming (main thread).
export { DebugAdapter, type DapRequest } from './adapter.js';
export { announceCell } from './cell-names.js';
export { CELL_PREFIX, cellPath } from './naming.js';

/** kernel_info's `debugger`: on unless GCNLAB_DEBUGGER=0 (idle, it costs a cell nothing: bench:kernel measures it). */
export const DEBUGGER_ADVERTISED = process.env.GCNLAB_DEBUGGER !== '0';
