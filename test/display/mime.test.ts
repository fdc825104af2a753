// How figures, tables and tensors show themselves: the MIME bundles Jupyter and nbconvert render.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  PLOTLY_MIME,
  REFERENCE_TIMINGS,
  benchmarkChart,
  escapeHtml,
  figureBundle,
  htmlPage,
  isPlotlyFigure,
  tableBundle,
  toMimeBundle,
  trainingCurvesChart,
  type BenchmarkRow,
  type EpochEvent,
} from '../../src/index.js';

const rows: BenchmarkRow[] = [
  { device: 'cpu', adjacency: 'sparse', dataset: 'cora', runs: 5, epochs: 50, meanMs: 3.2, stdMs: 0.4, medianMs: 3.1, minMs: 2.9, p95Ms: 3.9, testAccuracy: 0.81 },
  { device: 'wasm', adjacency: 'dense', dataset: 'cora', runs: 5, epochs: 50, meanMs: 12.5, stdMs: 1, medianMs: 12, minMs: 11, p95Ms: 14, testAccuracy: 0.8 },
];

test('the benchmark chart puts our bars beside every one of the article\'s reference numbers', () => {
  const fig = benchmarkChart(rows);
  const ours = fig.data.filter((t) => String(t.name).startsWith('gcnlab'));
  assert.deepEqual(ours.map((t) => t.x).flat(), ['cpu (sparse)', 'wasm (dense)']);
  assert.deepEqual(ours.map((t) => t.y).flat(), [3.2, 12.5]);
  const refs = fig.data.filter((t) => String(t.name).startsWith('article'));
  assert.equal(refs.flatMap((t) => t.y).length, REFERENCE_TIMINGS.length);
  assert.ok(refs.flatMap((t) => t.y).includes(45.58));
});

test('a log-scale benchmark chart sets no rangemode (it means nothing on a log axis); a linear one starts at zero', () => {
  assert.deepEqual(benchmarkChart(rows, { logScale: true }).layout.yaxis, { title: { text: 'ms / epoch' }, type: 'log' });
  assert.equal((benchmarkChart(rows).layout.yaxis as { rangemode?: string }).rangemode, 'tozero');
});

test('the references can be hidden', () => {
  const fig = benchmarkChart(rows, { references: false });
  assert.ok(fig.data.every((t) => String(t.name).startsWith('gcnlab')));
});

test('a figure bundle carries plotly JSON, an offline HTML fallback, and plain text', () => {
  const fig = benchmarkChart(rows);
  const first = figureBundle(fig, { includePlotlyJs: 'always' });
  assert.deepEqual(first[PLOTLY_MIME], fig);
  const html = first['text/html'] as string;
  assert.ok(html.length > 1_000_000, 'plotly.js is inlined, not loaded from a CDN');
  assert.doesNotMatch(html, /<script[^>]+src=/);
  assert.match(html, /Plotly\.newPlot/);
  assert.match(first['text/plain'], /milliseconds per training epoch/);
  const later = figureBundle(fig, { includePlotlyJs: 'never' });
  assert.ok((later['text/html'] as string).length < 100_000);
});

test('training curves show both losses and the validation accuracy on a second axis', () => {
  const epochs: EpochEvent[] = [1, 2, 3].map((epoch) => ({
    type: 'epoch', runId: 'r', device: 'cpu', adjacency: 'sparse', epoch, epochMs: 2, trainLoss: 2 - epoch / 3, valLoss: 2 - epoch / 4, valAccuracy: epoch / 4,
  }));
  const fig = trainingCurvesChart(epochs);
  assert.deepEqual(fig.data.map((t) => t.name), ['training loss', 'validation loss', 'validation accuracy']);
  assert.equal(fig.data[2].yaxis, 'y2');
  assert.deepEqual(fig.data[2].y, [0.25, 0.5, 0.75]);
});

test('tables render as HTML and as aligned text, escaping what they show', () => {
  const bundle = tableBundle([{ a: '<b>', n: 1.23456 }], [
    { header: 'name', value: (r) => r.a },
    { header: 'value', value: (r) => r.n },
  ]);
  assert.match(bundle['text/html'] as string, /<td>&#60;b&#62;<\/td><td>1\.235<\/td>/);
  assert.match(bundle['text/plain'], /^name\s+value\n<b>\s+1\.235$/);
});

test('toMimeBundle knows tensors and figures, and leaves other values alone', () => {
  const t = tf.tensor2d([[1, 2], [3, 4]]);
  const bundle = toMimeBundle(t)!;
  assert.match(bundle['text/plain'], /Tensor \[2,2\] float32/);
  assert.match(bundle['text/plain'], /\[3, 4\]/);
  t.dispose();
  assert.ok(toMimeBundle(benchmarkChart(rows))![PLOTLY_MIME]);
  assert.equal(toMimeBundle({ a: 1 }), undefined);
});

test('plotly JSON written by hand is a figure, with or without a layout; objects that only have a data list are not', () => {
  const handWritten = { data: [{ y: [1, 2] }] };
  assert.ok(isPlotlyFigure(handWritten));
  assert.deepEqual(toMimeBundle(handWritten)![PLOTLY_MIME], handWritten);
  assert.match(toMimeBundle(handWritten)!['text/plain'], /^plot \(1 series/);
  assert.ok(isPlotlyFigure({ data: [], layout: {}, config: {}, frames: [] }));
  assert.equal(isPlotlyFigure({ data: [{ id: 1 }], total: 1 }), false, 'an API answer with a data list');
  assert.equal(isPlotlyFigure({ data: [1, 2] }), false, 'traces are objects');
  assert.equal(isPlotlyFigure({ data: [], layout: null }), false);
});

test('HTML escaping covers what could end an element or a quoted attribute', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
});

test('a standalone page inlines plotly.js once and draws every figure', () => {
  const page = htmlPage('Results', [benchmarkChart(rows), trainingCurvesChart([])]);
  assert.equal(page.match(/if \(!window\.Plotly\)/g)?.length, 1);
  assert.equal(page.match(/Plotly\.newPlot/g)?.length, 2);
});
