// The panel's two plotly charts: ms per epoch while training (appended in batches, so a 200-epoch run never floods
// the page with redraws), and this machine's devices beside the article's machines.
import type { EpochMessage } from '../messages';
import { loadPlotly, type Plotly } from '../plotly';
import type { KernelTiming } from '../timing/record';
import { REFERENCE_TIMINGS } from '../../../src/bench/references';
import { deviceColor, REFERENCE_COLORS } from './colors';
import { keepLegendClear } from '../legend';

/**
 * The live chart's height (px). Each chart's node is given its figure's height, so that plotly's responsive resizes,
 * which size a figure to its node, keep it (a resize during a draw once squeezed one to the node's min-height).
 */
const LIVE_HEIGHT = 340;
const FONT = { family: 'var(--jp-ui-font-family), sans-serif', size: 11 };
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'] };
const HOVER =
  'epoch %{x}: %{y:.2f} ms<br>train loss %{customdata[0]:.4f}<br>val loss %{customdata[1]:.4f}' +
  '<br>val accuracy %{customdata[2]:.3f}<extra>%{fullData.name}</extra>';

function point(epoch: EpochMessage): [number, number, number[]] {
  return [epoch.epoch, epoch.epochMs, [epoch.trainLoss, epoch.valLoss, epoch.valAccuracy]];
}

export class LiveChart {
  /** Trace index of each run (by key) on the chart, in the order runs started. */
  private traces = new Map<string, number>();
  private pending: { epoch: EpochMessage; key: string }[] = [];
  private timer: number | null = null;
  /** The last full redraw; batches wait for it. */
  private drawing: Promise<unknown> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  refreshMs = 200;
  pointsKept = 1000;

  constructor(readonly node: HTMLDivElement) {}

  /** Redraws everything the kernel's record holds (on show, notebook switch, restart). */
  async redraw(record: KernelTiming | null): Promise<void> {
    const Plotly = await loadPlotly();
    // From here to react() nothing awaits: the snapshot and the queue cannot overlap or miss an epoch.
    this.clear();
    this.traces = new Map();
    const data = [...(record?.epochs ?? new Map<string, EpochMessage[]>())].map(([key, epochs], index) => {
      this.traces.set(key, index);
      return this.trace(index, epochs[0], epochs.map(point));
    });
    this.node.style.height = `${LIVE_HEIGHT}px`;
    this.drawing = Plotly.react(this.node, data as never, this.layout(record) as never, CONFIG as never).then(() => keepLegendClear(Plotly, this.node));
    await this.drawing;
  }

  /** Queues an epoch of the run `key`; the chart catches up at most every `refreshMs`. */
  add(epoch: EpochMessage, key: string): void {
    this.pending.push({ epoch, key });
    if (this.timer === null) {
      // Batches go in order, one at a time, so a new run's trace exists before it is extended.
      this.timer = window.setTimeout(() => (this.flushing = this.flushing.then(() => this.flush())), this.refreshMs);
    }
  }

  clear(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length || !this.drawing) return;
    await this.drawing;
    const Plotly = await loadPlotly();
    const byTrace = new Map<number, EpochMessage[]>();
    const added: object[] = [];
    for (const { epoch, key } of batch) {
      let index = this.traces.get(key);
      if (index === undefined) {
        index = this.traces.size;
        this.traces.set(key, index);
        added.push(this.trace(index, epoch, []));
      }
      byTrace.set(index, [...(byTrace.get(index) ?? []), epoch]);
    }
    if (added.length) {
      await Plotly.addTraces(this.node, added as never);
      await keepLegendClear(Plotly, this.node);
    }
    const indices = [...byTrace.keys()];
    const columns = indices.map((index) => byTrace.get(index)!.map(point));
    await Plotly.extendTraces(
      this.node,
      {
        x: columns.map((points) => points.map((p) => p[0])),
        y: columns.map((points) => points.map((p) => p[1])),
        customdata: columns.map((points) => points.map((p) => p[2])),
      } as never,
      indices,
      this.pointsKept,
    );
  }

  private trace(index: number, first: EpochMessage | undefined, points: [number, number, number[]][]): object {
    const device = first?.device ?? 'cpu';
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `run ${index + 1} · ${device} · ${first?.adjacency ?? ''}`,
      x: points.map((p) => p[0]),
      y: points.map((p) => p[1]),
      customdata: points.map((p) => p[2]),
      hovertemplate: HOVER,
      // Colour says the device, the dash the adjacency (the article's dense one dotted).
      line: { color: deviceColor(device), width: 1.5, dash: first?.adjacency === 'dense' ? 'dot' : 'solid' },
      marker: { color: deviceColor(device), size: 4 },
      meta: { device },
    };
  }

  private layout(record: KernelTiming | null): object {
    return {
      autosize: true,
      height: LIVE_HEIGHT,
      margin: { l: 48, r: 8, t: 28, b: 40 },
      title: { text: 'ms per epoch', font: { ...FONT, size: 12 }, x: 0.02 },
      xaxis: { title: { text: 'epoch', standoff: 4 }, rangemode: 'tozero', automargin: true },
      yaxis: { title: { text: 'ms' }, rangemode: 'tozero', automargin: true },
      showlegend: true,
      // Below everything, in the figure's own coordinates: keepLegendClear makes the bottom margin hold it.
      legend: { orientation: 'h', x: 0, xanchor: 'left', yref: 'container', y: 0, yanchor: 'bottom' },
      font: FONT,
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      // Zoom and pan survive redraws of one kernel process's runs; a new process (a restart) or another notebook's
      // kernel starts from fresh axes, else an empty chart would keep the earlier runs' ranges.
      uirevision: record ? `${record.kernelId}/${record.session}` : 'none',
    };
  }
}

export type Statistic = 'meanMs' | 'medianMs' | 'p95Ms';

export interface ComparisonOptions {
  showReferences: boolean;
  /** Only this machine's dense-adjacency rows: what the article measured. */
  likeForLikeOnly: boolean;
  statistic: Statistic;
  logScale: boolean;
}

interface Bar {
  label: string;
  ms: number;
  color: string;
  group: string;
  /** Sparse adjacency does a fraction of the dense product's work: not like-for-like with the article's bars. */
  sparse?: boolean;
}

export const DENSE_GROUP = 'this machine, dense adjacency (like the article)';
export const SPARSE_GROUP = 'this machine, sparse adjacency (not like-for-like)';
export const ARTICLE_GROUP = "the article's machines (dense adjacency)";

/** This machine's bars: a benchmark's rows when there is one, else the average of the finished runs. */
export function machineBars(record: KernelTiming, statistic: Statistic, likeForLikeOnly = false): Bar[] {
  const groups = new Map<string, { device: string; sparse: boolean; ms: number[] }>();
  const rows = record.benchmark.length ? record.benchmark : record.runs;
  for (const row of rows) {
    if (likeForLikeOnly && row.adjacency !== 'dense') continue;
    const key = `${row.device} (${row.adjacency})`;
    const group = groups.get(key) ?? { device: row.device, sparse: row.adjacency === 'sparse', ms: [] };
    group.ms.push(row[statistic]);
    groups.set(key, group);
  }
  return [...groups].map(([key, { device, sparse, ms }]) => ({
    label: `this machine · ${key}`,
    ms: ms.reduce((a, b) => a + b, 0) / ms.length,
    color: deviceColor(device),
    group: sparse ? SPARSE_GROUP : DENSE_GROUP,
    sparse,
  }));
}

export function referenceBars(): Bar[] {
  return REFERENCE_TIMINGS.map((reference) => ({
    label: `${reference.machine} · ${reference.backend}`,
    ms: reference.msPerEpoch,
    color: REFERENCE_COLORS[reference.backend] ?? '#999999',
    group: ARTICLE_GROUP,
  }));
}

export class ComparisonChart {
  constructor(readonly node: HTMLDivElement) {}

  async redraw(record: KernelTiming | null, options: ComparisonOptions): Promise<void> {
    const Plotly: Plotly = await loadPlotly();
    const bars = [...(record ? machineBars(record, options.statistic, options.likeForLikeOnly) : []), ...(options.showReferences ? referenceBars() : [])];
    bars.sort((a, b) => b.ms - a.ms);
    const groups = [...new Set(bars.map((bar) => bar.group))];
    const data = groups.map((group) => {
      const members = bars.filter((bar) => bar.group === group);
      return {
        type: 'bar',
        orientation: 'h',
        name: group,
        y: members.map((bar) => bar.label),
        x: members.map((bar) => bar.ms),
        text: members.map((bar) => (bar.ms >= 100 ? bar.ms.toFixed(0) : bar.ms.toFixed(2))),
        textposition: 'outside',
        cliponaxis: false,
        // Sparse bars hatched, so they read apart from the article's dense ones at a glance.
        marker: { color: members.map((bar) => bar.color), pattern: { shape: members.map((bar) => (bar.sparse ? '/' : '')), solidity: 0.5 } },
        hovertemplate: '%{y}: %{x:.2f} ms per epoch<extra></extra>',
      };
    });
    const statisticName = { meanMs: 'mean', medianMs: 'median', p95Ms: 'p95' }[options.statistic];
    const height = Math.max(200, 110 + bars.length * 20);
    this.node.style.height = `${height}px`;
    const layout = {
      autosize: true,
      height,
      margin: { l: 190, r: 40, t: 28, b: 60 },
      title: { text: `GCN on Cora: ${statisticName} ms per epoch (lower is faster)`, font: { ...FONT, size: 12 }, x: 0.02 },
      xaxis: { type: options.logScale ? 'log' : 'linear', title: { text: 'ms per epoch' }, automargin: true },
      yaxis: { categoryorder: 'array', categoryarray: bars.map((bar) => bar.label), automargin: true },
      barmode: 'overlay',
      showlegend: true,
      legend: { orientation: 'h', x: 0, xanchor: 'left', yref: 'container', y: 0, yanchor: 'bottom' },
      font: FONT,
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
    };
    await Plotly.react(this.node, data as never, layout as never, CONFIG as never);
    await keepLegendClear(Plotly, this.node);
  }
}
