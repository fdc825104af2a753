// Exports: finished runs as CSV and JSON, charts as PNG and SVG, handed to the browser as downloads.
import type { ExecutionMessage, MemorySample } from './messages';
import { RUN_COLUMNS } from './run-columns';
import type { RunRow } from './timing/record';
import { loadPlotly } from './plotly';

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function runsToCsv(runs: readonly RunRow[]): string {
  const rows = runs.map((run) => RUN_COLUMNS.map((column) => csvField(column.value(run))).join(','));
  return [RUN_COLUMNS.map((column) => column.name).join(','), ...rows].join('\n') + '\n';
}

export function runsToJson(
  kernel: string,
  runs: readonly RunRow[],
  executions: readonly ExecutionMessage[],
  memory: MemorySample | null = null,
): string {
  const cells = executions.map(({ executionCount, status, ms, device }) => ({ executionCount, status, ms, device }));
  const kept = runs.map(({ key: _key, ...run }) => ({ ...run, earlier: !!run.earlier }));
  return JSON.stringify({ exportedAt: new Date().toISOString(), kernel, memory, runs: kept, cells }, null, 2) + '\n';
}

export function download(filename: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a drawn plotly chart as an image file. */
export async function downloadChart(chart: HTMLElement, format: 'png' | 'svg', filename: string): Promise<void> {
  const Plotly = await loadPlotly();
  const width = Math.max(chart.clientWidth, 480);
  const height = Math.max(chart.clientHeight, 320);
  const url = await Plotly.toImage(chart, { format, width, height, scale: format === 'png' ? 2 : 1 } as never);
  const blob = await (await fetch(url)).blob();
  download(`${filename}.${format}`, blob);
}

export function timestamp(): string {
  return new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
}
