// The path a cell's code has for the debugger: the one JupyterLab's debugger computes from the cell's text with what
// debugInfo tells it (tmpFilePrefix + murmur2(code, hashSeed) + tmpFileSuffix). Both threads of the kernel derive it
// alike, so cells run under it from the start and a breakpoint set in a cell that ran before the debugger was
// switched on is hit, as ipykernel's are.
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { murmur2 } from './murmur2.js';

/** The seed ipykernel uses: any fixed number works, the front end reads it from debugInfo. */
export const HASH_SEED = 0xc70f6907;
export const CELL_SUFFIX = '.ts';
/**
 * JupyterLab names a frame or source by its notebook cell ("Cell [3]:2") only where the path holds `ipykernel_`
 * (its debugger extension's display registry tests for that); elsewhere it shows the temporary file's path.
 */
export const CELL_PREFIX = join(tmpdir(), `gcnlab_ipykernel_${process.pid}`) + sep;

export function cellPath(code: string): string {
  return `${CELL_PREFIX}${murmur2(code, HASH_SEED)}${CELL_SUFFIX}`;
}
