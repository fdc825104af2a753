// The JupyterLab debugger for TypeScript cells: the DAP adapter (control thread) and the cells' naming (main thread).
export { DebugAdapter, type DapRequest } from './adapter.js';
export { announceCell, debugCellPath, listenForDebugger } from './cell-names.js';

/** kernel_info's `debugger`: experimental, so JupyterLab shows its bug icon only where GCNLAB_DEBUGGER=1. */
export const DEBUGGER_ADVERTISED = process.env.GCNLAB_DEBUGGER === '1';
