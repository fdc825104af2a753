// The right-sidebar panel: the active notebook's gcnlab kernel, its devices, a live ms-per-epoch chart, finished
// runs, cell times, and the comparison with the article, each with its export.
import { SplitPanel, Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import type { ICodeCellModel } from '@jupyterlab/cells';
import { download, downloadChart, runsToCsv, runsToJson, timestamp } from '../export';
import type { ActiveKernel, TimingTracker } from '../timing/tracker';
import type { KernelTiming, TimingChange } from '../timing/record';
import { ComparisonChart, LiveChart, type Statistic } from './charts';
import { deviceColor } from './colors';
import { formatMs, h } from './dom';

export interface PanelSettings {
  showReferences: boolean;
  pointsKept: number;
  liveRefreshMs: number;
  comparisonStatistic: Statistic;
  comparisonLogScale: boolean;
}

export const DEFAULT_SETTINGS: PanelSettings = {
  showReferences: true,
  pointsKept: 1000,
  liveRefreshMs: 200,
  comparisonStatistic: 'meanMs',
  comparisonLogScale: true,
};

export class TimingPanel extends Widget {
  private readonly header = h('div', { class: 'jp-gcnlab-header' });
  private readonly message = h('div', { class: 'jp-gcnlab-message' });
  private readonly body = h('div', { class: 'jp-gcnlab-body' });
  private readonly deviceSelect = h('select', { class: 'jp-gcnlab-device-select', 'aria-label': 'Current device' });
  private readonly deviceNote = h('span', { class: 'jp-gcnlab-device-note' });
  private readonly devicesTable = h('table', { class: 'jp-gcnlab-devices' });
  private readonly lastEpoch = h('div', { class: 'jp-gcnlab-last-epoch' });
  private readonly runsTable = h('table', { class: 'jp-gcnlab-runs' });
  private readonly cellsTable = h('table', { class: 'jp-gcnlab-cells' });
  private readonly referencesToggle = h('input', { type: 'checkbox', class: 'jp-gcnlab-references-toggle' });
  private readonly live = new LiveChart(h('div', { class: 'jp-gcnlab-chart jp-gcnlab-live-chart' }));
  private readonly comparison = new ComparisonChart(h('div', { class: 'jp-gcnlab-chart jp-gcnlab-comparison-chart' }));
  private settings: PanelSettings = { ...DEFAULT_SETTINGS };
  private chartsStale = true;

  constructor(
    private readonly tracker: TimingTracker,
    private readonly saveSetting: (key: keyof PanelSettings, value: PanelSettings[keyof PanelSettings]) => void,
  ) {
    super();
    this.id = 'gcnlab-timing-panel';
    this.addClass('jp-gcnlab-panel');
    this.title.caption = 'gcnlab device timing';
    this.build();
    tracker.activeChanged.connect(() => this.renderAll(), this);
    tracker.changed.connect(this.onChange, this);
    this.renderAll();
  }

  get record(): KernelTiming | null {
    const active = this.tracker.active;
    return active.kind === 'gcnlab' ? active.connection.record : null;
  }

  configure(settings: PanelSettings): void {
    this.settings = settings;
    this.live.refreshMs = settings.liveRefreshMs;
    this.live.pointsKept = settings.pointsKept;
    this.tracker.pointsKept = settings.pointsKept;
    this.referencesToggle.checked = settings.showReferences;
    this.chartsStale = true;
    if (this.isVisible) void this.drawCharts();
  }

  /** Makes the sidebar holding the panel at least `width` px wide, taking the room from the main area. */
  widen(width = 480): void {
    let child: Widget = this;
    let parent = this.parent;
    while (parent && !(parent instanceof SplitPanel)) {
      child = parent;
      parent = parent.parent;
    }
    const total = parent?.node.clientWidth ?? 0;
    if (!parent || !total || child.node.clientWidth >= width) return;
    const sizes = parent.relativeSizes();
    const index = parent.widgets.indexOf(child);
    const donor = sizes.indexOf(Math.max(...sizes.filter((_, i) => i !== index)));
    const grow = Math.min(width / total - sizes[index], sizes[donor] - 0.3);
    if (grow <= 0) return;
    sizes[index] += grow;
    sizes[donor] -= grow;
    parent.setRelativeSizes(sizes);
  }

  exportRuns(format: 'csv' | 'json'): void {
    const record = this.record;
    if (!record) return;
    const name = `gcnlab-runs-${timestamp()}`;
    if (format === 'csv') download(`${name}.csv`, runsToCsv(record.runs), 'text/csv');
    else download(`${name}.json`, runsToJson(record.kernelDisplayName, record.runs, record.executions), 'application/json');
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this.chartsStale) void this.drawCharts();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.isVisible) void this.drawCharts();
  }

  private build(): void {
    this.deviceSelect.addEventListener('change', () => this.switchDevice(this.deviceSelect.value));
    this.referencesToggle.addEventListener('change', () => this.saveSetting('showReferences', this.referencesToggle.checked));
    const chartExports = (chart: HTMLElement, name: string) =>
      h(
        'span',
        { class: 'jp-gcnlab-exports' },
        this.button('PNG', `Save the ${name} chart as PNG`, () => void downloadChart(chart, 'png', `gcnlab-${name}-${timestamp()}`)),
        this.button('SVG', `Save the ${name} chart as SVG`, () => void downloadChart(chart, 'svg', `gcnlab-${name}-${timestamp()}`)),
      );
    this.body.append(
      section(
        'Devices',
        null,
        h('label', { class: 'jp-gcnlab-current' }, 'Current device ', this.deviceSelect, this.deviceNote),
        this.devicesTable,
      ),
      section('Training, live', chartExports(this.live.node, 'epochs'), this.live.node, this.lastEpoch),
      section(
        'Finished runs (ms per epoch)',
        h(
          'span',
          { class: 'jp-gcnlab-exports' },
          this.button('CSV', 'Export the runs as CSV', () => this.exportRuns('csv'), 'jp-gcnlab-export-csv'),
          this.button('JSON', 'Export the runs and cell times as JSON', () => this.exportRuns('json'), 'jp-gcnlab-export-json'),
        ),
        h('div', { class: 'jp-gcnlab-scroll' }, this.runsTable),
      ),
      section('Cell execution times', null, h('div', { class: 'jp-gcnlab-scroll' }, this.cellsTable)),
      section(
        'Compared with the article',
        chartExports(this.comparison.node, 'comparison'),
        h('label', { class: 'jp-gcnlab-references' }, this.referencesToggle, " Show the article's machines (M1 Pro, M2 Ultra, M3 Max, V100)"),
        this.comparison.node,
      ),
    );
    this.node.append(this.header, this.message, this.body);
  }

  private button(label: string, title: string, onClick: () => void, extraClass = ''): HTMLButtonElement {
    const button = h('button', { class: `jp-gcnlab-button ${extraClass}`.trim(), title, type: 'button' }, label);
    button.addEventListener('click', onClick);
    return button;
  }

  private switchDevice(device: string): void {
    const active = this.tracker.active;
    if (active.kind !== 'gcnlab') return;
    const sent = active.connection.send({ kind: 'switch-device', device });
    this.deviceNote.textContent = sent ? ` switching to ${device}…` : ' the kernel is not connected';
  }

  private onChange(_: TimingTracker, change: TimingChange): void {
    const record = this.record;
    if (!record) return;
    switch (change.kind) {
      case 'epoch':
        this.renderLastEpoch(record);
        if (this.isVisible && !this.chartsStale) this.live.add(change.epoch, change.key);
        else this.chartsStale = true;
        return;
      case 'runs':
      case 'benchmark':
        this.renderLastEpoch(record);
        this.renderRuns(record);
        this.redrawComparison(record);
        return;
      case 'executions':
        this.renderCells(record);
        // The kernel reports a cell's time just before its reply, which is when the notebook learns the cell's
        // execution count: look the cell's code up again once the reply is in.
        window.setTimeout(() => this.record === record && this.renderCells(record), 500);
        return;
      case 'connection':
        this.renderHeader(this.tracker.active);
        return;
      case 'devices':
      case 'device':
      case 'error':
        this.renderDevices(record);
        return;
    }
  }

  private renderAll(): void {
    const active = this.tracker.active;
    const record = this.record;
    this.renderHeader(active);
    this.body.hidden = !record;
    this.message.hidden = !!record;
    this.message.textContent = messageFor(active);
    this.live.clear();
    this.chartsStale = true;
    if (!record) return;
    this.renderDevices(record);
    this.renderLastEpoch(record);
    this.renderRuns(record);
    this.renderCells(record);
    if (this.isVisible) void this.drawCharts();
  }

  private async drawCharts(): Promise<void> {
    const record = this.record;
    if (!record) return;
    this.chartsStale = false;
    await this.live.redraw(record);
    await this.comparison.redraw(record, this.comparisonOptions());
  }

  private redrawComparison(record: KernelTiming): void {
    if (this.isVisible) void this.comparison.redraw(record, this.comparisonOptions());
    else this.chartsStale = true;
  }

  private comparisonOptions() {
    return {
      showReferences: this.settings.showReferences,
      statistic: this.settings.comparisonStatistic,
      logScale: this.settings.comparisonLogScale,
    };
  }

  private renderHeader(active: ActiveKernel): void {
    const record = this.record;
    const state = record ? { connecting: 'connecting…', connected: '', restarting: 'kernel restarting…', dead: 'kernel dead', closed: 'disconnected' }[record.connection] : '';
    this.header.replaceChildren(
      h('div', { class: 'jp-gcnlab-title' }, 'gcnlab device timing'),
      h(
        'div',
        { class: 'jp-gcnlab-subtitle' },
        'path' in active ? active.path : 'no notebook',
        record ? ` · ${record.kernelDisplayName}${record.gcnlabVersion ? ` (gcnlab ${record.gcnlabVersion})` : ''}` : '',
        state ? h('span', { class: 'jp-gcnlab-state' }, ` · ${state}`) : null,
      ),
    );
  }

  private renderDevices(record: KernelTiming): void {
    this.deviceSelect.replaceChildren(
      ...record.devices.map((device) =>
        h(
          'option',
          { value: device.name, disabled: !device.available, selected: device.name === record.current },
          device.available ? device.name : `${device.name} (unavailable)`,
        ),
      ),
    );
    if (record.current) this.deviceSelect.value = record.current;
    this.deviceNote.textContent = record.error ? ` ${record.error}` : '';
    this.deviceNote.classList.toggle('jp-gcnlab-error', !!record.error);
    this.devicesTable.replaceChildren(
      h(
        'tbody',
        {},
        ...record.devices.map((device) =>
          h(
            'tr',
            {
              class: `jp-gcnlab-device ${device.available ? 'jp-gcnlab-available' : 'jp-gcnlab-unavailable'}${device.name === record.current ? ' jp-gcnlab-current-device' : ''}`,
              'data-device': device.name,
              title: `${device.backend} backend, from ${device.packageName}`,
            },
            h('td', { class: 'jp-gcnlab-device-name' }, swatch(device.name), device.name),
            h(
              'td',
              {},
              h('span', { class: 'jp-gcnlab-availability' }, device.available ? 'available' : 'unavailable'),
              h('div', { class: 'jp-gcnlab-why' }, device.available ? device.runsOn ?? device.backend : device.reason ?? ''),
            ),
          ),
        ),
      ),
    );
  }

  private renderLastEpoch(record: KernelTiming): void {
    const epoch = record.lastEpoch;
    this.lastEpoch.textContent = epoch
      ? `${record.isTraining ? 'training' : 'last run'}: epoch ${epoch.epoch} on ${epoch.device} (${epoch.adjacency}), ${formatMs(epoch.epochMs)} ms, loss ${epoch.trainLoss.toFixed(4)}, val accuracy ${epoch.valAccuracy.toFixed(3)}`
      : 'Run a training cell (train(...)) to see each epoch here as it finishes.';
  }

  private renderRuns(record: KernelTiming): void {
    const columns = ['#', 'device', 'adjacency', 'threads', 'epochs', 'mean', 'median', 'p95', 'test acc'];
    this.runsTable.replaceChildren(
      h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', {}, column)))),
      h(
        'tbody',
        {},
        ...record.runs.map((run) =>
          h(
            'tr',
            { class: 'jp-gcnlab-run', 'data-run-id': run.runId },
            h('td', {}, String(run.index)),
            h('td', {}, swatch(run.device), run.device),
            h('td', {}, run.adjacency),
            h('td', {}, String(run.threads)),
            h('td', {}, String(run.epochs)),
            h('td', {}, formatMs(run.meanMs)),
            h('td', {}, formatMs(run.medianMs)),
            h('td', {}, formatMs(run.p95Ms)),
            h('td', {}, run.testAccuracy.toFixed(3)),
          ),
        ),
        record.runs.length ? null : h('tr', {}, h('td', { colspan: String(columns.length), class: 'jp-gcnlab-empty' }, 'No finished runs yet.')),
      ),
    );
  }

  private renderCells(record: KernelTiming): void {
    const recent = record.executions.slice(-50).reverse();
    this.cellsTable.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', {}, 'cell'), h('th', {}, 'code'), h('th', {}, 'ms'), h('th', {}, 'device'))),
      h(
        'tbody',
        {},
        ...recent.map((execution) =>
          h(
            'tr',
            { class: `jp-gcnlab-cell jp-gcnlab-${execution.status}` },
            h('td', {}, `[${execution.executionCount}]`),
            h('td', { class: 'jp-gcnlab-code' }, this.cellSource(execution.executionCount)),
            h('td', {}, formatMs(execution.ms)),
            h('td', {}, execution.device),
          ),
        ),
        recent.length ? null : h('tr', {}, h('td', { colspan: '4', class: 'jp-gcnlab-empty' }, 'No cells run yet.')),
      ),
    );
  }

  /** The first line of the notebook cell that ran with this execution count, if it is still there. */
  private cellSource(executionCount: number): string {
    const notebook = this.tracker.currentNotebook?.content;
    for (const cell of notebook?.widgets ?? []) {
      if (cell.model.type === 'code' && (cell.model as ICodeCellModel).executionCount === executionCount) {
        return cell.model.sharedModel.getSource().split('\n')[0].slice(0, 60);
      }
    }
    return '';
  }
}

function section(title: string, tools: HTMLElement | null, ...content: HTMLElement[]): HTMLElement {
  return h('section', { class: 'jp-gcnlab-section' }, h('h3', {}, title, tools), ...content);
}

function swatch(device: string): HTMLElement {
  const element = h('span', { class: 'jp-gcnlab-swatch' });
  element.style.backgroundColor = deviceColor(device);
  return element;
}

export function messageFor(active: ActiveKernel): string {
  switch (active.kind) {
    case 'no-notebook':
      return 'Open a notebook with the "TypeScript (gcnlab)" kernel to see its devices and timings here.';
    case 'no-kernel':
      return `${active.path} has no kernel running. Select the "TypeScript (gcnlab)" kernel to see device timings.`;
    case 'other':
      return `${active.path} uses the ${active.displayName} kernel (${active.kernelName}), which is not a gcnlab kernel. Switch it to "TypeScript (gcnlab)" (Kernel > Change Kernel) to see device timings.`;
    case 'gcnlab':
      return '';
  }
}
