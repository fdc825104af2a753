// What bench:peers and bench:scaling share about their rows: reading a child process's row, and folding repeats of
// one configuration into a single row.
import type { spawnSync } from 'node:child_process';
import { timingStats } from '../src/index.js';

export type Row = Record<string, unknown>;

/** The row a child printed as its last stdout line; null (with the child's last stderr lines reported) if none. */
export function lastJsonLine(tool: string, what: string, result: ReturnType<typeof spawnSync>): Row | null {
  const lines = String(result.stdout).trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    process.stderr.write(`${tool}: ${what} failed (exit ${result.status}): ${String(result.stderr).trim().split('\n').slice(-3).join(' | ')}\n`);
    return null;
  }
}

/**
 * One row per configuration (implementation, device, model and split, adjacency, features, engine, graph size), in
 * first-seen order.
 */
export function foldRepeats<T extends Row>(rows: T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = [row.impl, row.device, row.model, row.nbLayers, row.split, row.adjacency, row.features, row.engine, row.nodes].join('/');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map(combineRepeats);
}

/** One row for a configuration's repeats: the median of their medians, the minimum over all, every median kept. */
function combineRepeats<T extends Row>(runs: T[]): T {
  if (runs.length === 1) return runs[0];
  const num = (key: string) => runs.map((r) => r[key] as number);
  const mean = (key: string) => num(key).reduce((s, x) => s + x, 0) / runs.length;
  return {
    ...runs[0],
    msPerEpoch: mean('msPerEpoch'),
    medianMs: timingStats(num('medianMs')).medianMs,
    minMs: Math.min(...num('minMs')),
    testAccuracy: mean('testAccuracy'),
    peakRssMb: Math.max(...num('peakRssMb')),
    repeats: runs.length,
    medianMsOfEachRepeat: num('medianMs'),
  };
}
