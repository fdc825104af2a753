// Chart builders: the article's bar chart with its reference bars, training curves, scaling and embeddings.
import type { BenchmarkResult, ReferenceTiming } from '../bench/index.js';
import { DEVICE_COLORS, REFERENCE_COLORS, REFERENCE_TIMINGS } from '../bench/index.js';
import type { BenchmarkRow, EpochEvent } from '../events.js';
import type { PlotlyFigure, PlotlyTrace } from './figure.js';

const round = (x: number) => Math.round(x * 100) / 100;

/** Bars of ms/epoch: ours (one per device and adjacency mode) beside the article's, lower is better. */
export function benchmarkChart(
  result: BenchmarkResult | readonly BenchmarkRow[],
  options: { references?: boolean; title?: string; logScale?: boolean } = {},
): PlotlyFigure {
  const rows = 'rows' in result ? result.rows : result;
  const references: readonly ReferenceTiming[] = options.references === false ? [] : REFERENCE_TIMINGS;
  const data: PlotlyTrace[] = [];
  const devices = [...new Set(rows.map((r) => r.device))];
  for (const device of devices) {
    const mine = rows.filter((r) => r.device === device);
    data.push({
      type: 'bar',
      name: `gcnlab ${device}`,
      x: mine.map((r) => `${r.device} (${r.adjacency})`),
      y: mine.map((r) => round(r.meanMs)),
      error_y: { type: 'data', array: mine.map((r) => round(r.stdMs)), visible: true },
      text: mine.map((r) => `${round(r.meanMs)} ms`),
      textposition: 'outside',
      marker: { color: DEVICE_COLORS[device] ?? '#888' },
      customdata: mine.map((r) => r.testAccuracy),
      hovertemplate: '%{x}: %{y} ms/epoch<br>test accuracy %{customdata:.3f}<extra>this machine</extra>',
    });
  }
  const backends = [...new Set(references.map((r) => r.backend))];
  for (const backend of backends) {
    const refs = references.filter((r) => r.backend === backend);
    data.push({
      type: 'bar',
      name: `article: ${backend}`,
      x: refs.map((r) => `${r.machine} ${backend.replace('PyTorch ', '')}`),
      y: refs.map((r) => r.msPerEpoch),
      text: refs.map((r) => `${r.msPerEpoch} ms`),
      textposition: 'outside',
      marker: { color: REFERENCE_COLORS[backend] ?? '#ccc', pattern: { shape: '/' } },
      hovertemplate: '%{x}: %{y} ms/epoch<extra>the article</extra>',
    });
  }
  return {
    data,
    layout: {
      title: { text: options.title ?? 'GCN on Cora: milliseconds per training epoch (lower is better)' },
      barmode: 'overlay',
      // rangemode has no meaning on a log axis (zero is not on it).
      yaxis: options.logScale ? { title: { text: 'ms / epoch' }, type: 'log' } : { title: { text: 'ms / epoch' }, type: 'linear', rangemode: 'tozero' },
      xaxis: { tickangle: -30 },
      legend: { orientation: 'h', y: -0.35 },
      margin: { t: 60, b: 140 },
    },
  };
}

/** Training and validation loss, and validation accuracy, over epochs (one run). */
export function trainingCurvesChart(epochs: readonly EpochEvent[], options: { title?: string } = {}): PlotlyFigure {
  const x = epochs.map((e) => e.epoch);
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'training loss', x, y: epochs.map((e) => e.trainLoss) },
      { type: 'scatter', mode: 'lines', name: 'validation loss', x, y: epochs.map((e) => e.valLoss) },
      { type: 'scatter', mode: 'lines', name: 'validation accuracy', x, y: epochs.map((e) => e.valAccuracy), yaxis: 'y2' },
    ],
    layout: {
      title: { text: options.title ?? 'Training curves' },
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'cross-entropy loss' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'accuracy' }, overlaying: 'y', side: 'right', range: [0, 1] },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/** Milliseconds of each epoch, one line per run (device, adjacency). */
export function epochTimesChart(runs: readonly { label: string; device: string; epochs: readonly EpochEvent[] }[]): PlotlyFigure {
  return {
    data: runs.map((run) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: run.label,
      x: run.epochs.map((e) => e.epoch),
      y: run.epochs.map((e) => round(e.epochMs)),
      line: { color: DEVICE_COLORS[run.device] },
    })),
    layout: {
      title: { text: 'Milliseconds per epoch' },
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'ms' }, rangemode: 'tozero' },
    },
  };
}

export interface ScalingPoint {
  /**
   * The line this point belongs to; default "device adjacency". A ScalingMeasurement from scalingBenchmark has
   * those; give it the statistic to plot as msPerEpoch (`{ ...p, msPerEpoch: p.medianMs }`).
   */
  label?: string;
  device?: string;
  adjacency?: string;
  nodes: number;
  edges: number;
  /** The y value: milliseconds of an epoch, by whatever statistic the caller chose. */
  msPerEpoch: number;
}

/** ms/epoch against the number of edges, log-log, one line per label (e.g. "cpu sparse"). */
export function scalingChart(points: readonly ScalingPoint[], options: { title?: string } = {}): PlotlyFigure {
  const labelOf = (p: ScalingPoint) => p.label ?? `${p.device} ${p.adjacency}`;
  const labels = [...new Set(points.map(labelOf))];
  return {
    data: labels.map((label) => {
      const mine = points.filter((p) => labelOf(p) === label).sort((a, b) => a.edges - b.edges);
      return {
        type: 'scatter',
        mode: 'lines+markers',
        name: label,
        x: mine.map((p) => p.edges),
        y: mine.map((p) => round(p.msPerEpoch)),
        customdata: mine.map((p) => p.nodes),
        hovertemplate: '%{customdata} nodes, %{x} edges: %{y} ms/epoch',
      };
    }),
    layout: {
      title: { text: options.title ?? 'Cost per epoch as the graph grows' },
      xaxis: { title: { text: 'edges' }, type: 'log' },
      yaxis: { title: { text: 'ms / epoch' }, type: 'log' },
    },
  };
}

/** A 2-D projection of node embeddings, one colour per class. */
export function embeddingChart(
  points: readonly (readonly [number, number])[],
  labels: ArrayLike<number>,
  options: { title?: string; classNames?: readonly string[] } = {},
): PlotlyFigure {
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  return {
    data: classes.map((c) => {
      const idx = points.map((_, i) => i).filter((i) => labels[i] === c);
      return {
        type: 'scattergl',
        mode: 'markers',
        name: options.classNames?.[c] ?? `class ${c}`,
        x: idx.map((i) => round(points[i][0])),
        y: idx.map((i) => round(points[i][1])),
        marker: { size: 4 },
      };
    }),
    layout: { title: { text: options.title ?? 'Node embeddings (2-D projection)' }, xaxis: { zeroline: false }, yaxis: { zeroline: false } },
  };
}
