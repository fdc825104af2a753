// MIME bundles: how figures, tables, benchmark results and tensors show themselves in Jupyter and HTML.
import * as tf from '@tensorflow/tfjs-core';
import type { BenchmarkResult } from '../bench/index.js';
import { isPlotlyFigure, PLOTLY_MIME, type PlotlyJson } from './figure.js';
import { plotlyScriptTag } from './plotly-js.js';

export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

export interface FigureBundleOptions {
  /**
   * Whether the text/html fallback carries plotly.js itself: 'once' (the first figure of this process does,
   * later ones reuse window.Plotly: a saved notebook then draws offline), 'always', or 'never'.
   */
  includePlotlyJs?: 'once' | 'always' | 'never';
}

let plotlyEmbedded = false;

/** 10 s of waiting for window.Plotly, 100 ms apart, before the chart says why it is not drawn. */
const PLOTLY_WAIT_TRIES = 100;
export const PLOTLY_MISSING =
  "This chart is not drawn: plotly.js is carried by the first chart of the kernel's session, and that output is not on this page. Run the notebook again from the top, or display the chart with figureBundle(figure, { includePlotlyJs: 'always' }).";

/** Text made safe inside HTML elements and quoted attributes (& < > " ' as numeric character references). */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
let nextId = 0;

/** The plotly JSON, an HTML fallback that draws offline, and a one-line text summary. */
export function figureBundle(figure: PlotlyJson, options: FigureBundleOptions = {}): MimeBundle {
  const mode = options.includePlotlyJs ?? 'once';
  const embed = mode === 'always' || (mode === 'once' && !plotlyEmbedded);
  if (embed) plotlyEmbedded = true;
  const id = `gcnlab-plot-${process.pid}-${nextId++}`;
  const json = JSON.stringify(figure).replace(/</g, '\\u003c');
  const html =
    (embed ? plotlyScriptTag() : '') +
    `<div id="${id}" style="min-height:420px"></div>` +
    // Waits for window.Plotly (another output may be defining it), then says why the chart is missing and stops.
    `<script>(function(){var f=${json};var tries=0;var draw=function(){if(window.Plotly){window.Plotly.newPlot("${id}",f.data,f.layout,Object.assign({responsive:true},f.config||{}));}else if(++tries<${PLOTLY_WAIT_TRIES}){setTimeout(draw,100);}else{var d=document.getElementById("${id}");if(d){d.style.minHeight="";d.textContent=${JSON.stringify(PLOTLY_MISSING)};}}};draw();})();</script>`;
  const title = (figure.layout?.title as { text?: string } | undefined)?.text ?? 'plot';
  return {
    [PLOTLY_MIME]: figure,
    'text/html': html,
    'text/plain': `${title} (${figure.data.length} series; a plotly chart: open in Jupyter or a browser to see it)`,
  };
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number;
}

/** A table as HTML and as aligned plain text. */
export function tableBundle<T>(rows: readonly T[], columns: readonly Column<T>[], caption?: string): MimeBundle {
  const cells = rows.map((row) => columns.map((c) => {
    const v = c.value(row);
    return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v;
  }));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  const text = [caption, line(columns.map((c) => c.header)), ...cells.map(line)].filter(Boolean).join('\n');
  const html =
    `<table class="gcnlab-table">${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}` +
    `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>` +
    `<tbody>${cells.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return { 'text/html': html, 'text/plain': text };
}

/** A benchmark result as a table of its rows (and the skipped devices, with why). */
export function benchmarkBundle(result: BenchmarkResult): MimeBundle {
  const table = tableBundle(
    result.rows,
    [
      { header: 'device', value: (r) => r.device },
      { header: 'adjacency', value: (r) => r.adjacency },
      { header: 'threads', value: (r) => r.threads ?? 1 },
      { header: 'mean ms', value: (r) => r.meanMs },
      { header: 'std ms', value: (r) => r.stdMs },
      { header: 'median ms', value: (r) => r.medianMs },
      { header: 'min ms', value: (r) => r.minMs },
      { header: 'p95 ms', value: (r) => r.p95Ms },
      { header: 'test accuracy', value: (r) => r.testAccuracy },
    ],
    `${result.dataset}: ${result.protocol.runs} runs x ${result.protocol.epochs} epochs on ${result.machine.cpu} (${result.machine.cores} cores)`,
  );
  const skipped = result.skipped.map((s) => `skipped ${s.device}${s.adjacency ? ` (${s.adjacency})` : ''}: ${s.reason}`);
  return {
    'text/html': `${table['text/html']}${skipped.map((s) => `<p class="gcnlab-skipped">${escapeHtml(s)}</p>`).join('')}`,
    'text/plain': [table['text/plain'], ...skipped].join('\n'),
    'application/json': result,
  };
}

/** A tensor printed as tfjs prints it, with its shape, dtype and device. */
export function tensorBundle(tensor: tf.Tensor): MimeBundle {
  const backend = tf.engine().backendName;
  const header = `Tensor ${JSON.stringify(tensor.shape)} ${tensor.dtype} on ${backend}`;
  const body = tensor.isDisposed ? '(disposed)' : tensor.toString().replace(/^Tensor\n?/, '');
  return { 'text/plain': `${header}\n${body}` };
}

function isBenchmarkResult(value: unknown): value is BenchmarkResult {
  const v = value as BenchmarkResult;
  return typeof v === 'object' && v !== null && Array.isArray(v.rows) && Array.isArray(v.skipped) && typeof v.protocol === 'object';
}

/** The rich form of a value gcnlab knows how to show (a figure, a benchmark result, a tensor), if any. */
export function toMimeBundle(value: unknown): MimeBundle | undefined {
  if (value instanceof tf.Tensor) return tensorBundle(value);
  if (isPlotlyFigure(value)) return figureBundle(value);
  if (isBenchmarkResult(value)) return benchmarkBundle(value);
  return undefined;
}

/** A standalone HTML page with charts and tables that works offline (plotly.js inlined once). */
export function htmlPage(title: string, parts: readonly (PlotlyJson | MimeBundle)[]): string {
  const body = parts
    .map((part, i) => (isPlotlyFigure(part) ? figureBundle(part, { includePlotlyJs: i === 0 ? 'always' : 'never' }) : part)['text/html'] as string)
    .join('\n');
  const needsPlotly = parts.some(isPlotlyFigure) && !isPlotlyFigure(parts[0]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}caption{text-align:left;font-weight:600;padding:4px 0}</style>
${needsPlotly ? plotlyScriptTag() : ''}</head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}
