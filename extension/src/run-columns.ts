// The finished runs' columns, written once: each one's name and value in the CSV export, and for those the panel's
// runs table shows, its header and text there.
import { formatBytes, formatMs } from './panel/dom';
import type { RunRow } from './timing/record';

export interface RunColumn {
  /** The CSV header: the RunRow field's name where the column is one. */
  name: string;
  /** What the export holds ('' where the run has none). */
  value: (run: RunRow) => string | number;
  /** The panel's header and cell text; absent for columns only the export has. */
  shown?: { header: string; text: (run: RunRow) => string };
}

const field = <K extends keyof RunRow>(name: K, shown?: RunColumn['shown']): RunColumn => ({
  name,
  value: (run) => (run[name] as string | number | undefined) ?? '',
  shown,
});

/** Bytes of one peak figure, or '' for a run without peaks. */
const peakBytes = (run: RunRow, bytes: (peak: NonNullable<RunRow['peakMemory']>) => number | undefined, none = '') => {
  const value = run.peakMemory && bytes(run.peakMemory);
  return value === undefined ? none : formatBytes(value);
};

export const RUN_COLUMNS: readonly RunColumn[] = [
  { name: 'run', value: (run) => run.index, shown: { header: '#', text: (run) => String(run.index) } },
  field('runId'),
  field('dataset'),
  field('device', { header: 'device', text: (run) => run.device }),
  field('adjacency', { header: 'adjacency', text: (run) => run.adjacency }),
  field('threads', { header: 'threads', text: (run) => String(run.threads) }),
  field('epochs', { header: 'epochs', text: (run) => String(run.epochs) }),
  field('meanMs', { header: 'mean', text: (run) => formatMs(run.meanMs) }),
  field('medianMs', { header: 'median', text: (run) => formatMs(run.medianMs) }),
  field('p95Ms', { header: 'p95', text: (run) => formatMs(run.p95Ms) }),
  field('testAccuracy', { header: 'test acc', text: (run) => run.testAccuracy.toFixed(3) }),
  { name: 'earlier', value: (run) => (run.earlier ? 'yes' : 'no') },
  field('session'),
  field('finishedAt'),
  { name: 'peakRssBytes', value: (run) => run.peakMemory?.rss ?? '', shown: { header: 'peak RSS', text: (run) => peakBytes(run, (peak) => peak.rss) } },
  { name: 'peakHeapBytes', value: (run) => run.peakMemory?.heapUsed ?? '', shown: { header: 'peak heap', text: (run) => peakBytes(run, (peak) => peak.heapUsed) } },
  {
    name: 'peakTensors',
    value: (run) => run.peakMemory?.tensors ?? '',
    // The count and its bytes in one cell: the table is narrow.
    shown: { header: 'peak tensors', text: (run) => (run.peakMemory ? `${run.peakMemory.tensors} · ${formatBytes(run.peakMemory.tensorBytes)}` : '') },
  },
  { name: 'peakTensorBytes', value: (run) => run.peakMemory?.tensorBytes ?? '' },
  // A dash where no GPU figure was measured (cpu, wasm): the column then reads as not applicable, not as empty.
  { name: 'peakGpuBytes', value: (run) => run.peakMemory?.gpuBytes ?? '', shown: { header: 'peak GPU', text: (run) => peakBytes(run, (peak) => peak.gpuBytes, '–') } },
];

/** The columns the panel's table shows, in order. */
export const SHOWN_RUN_COLUMNS = RUN_COLUMNS.filter((column): column is Required<RunColumn> => column.shown !== undefined);
