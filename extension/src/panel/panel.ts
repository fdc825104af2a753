// The right-sidebar panel: the active notebook's gcnlab kernel, its devices, a live ms-per-epoch chart with the
// kernel's memory, finished runs (earlier kernels' ones from the notebook), cell times, and the comparison with the
// article, each with its export.
import { SplitPanel, Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import { download, downloadChart, runsToCsv, runsToJson, timestamp } from '../export';
import { SHOWN_RUN_COLUMNS } from '../run-columns';
import type { MemorySample } from '../messages';
import type { ActiveKernel, TimingTracker } from '../timing/tracker';
import type { KernelTiming, RunRow, TimingChange } from '../timing/record';
import { cellIndex, findCell, revealCell, tellingLine } from './cell-label';
import { ComparisonChart, LiveChart } from './charts';
import { deviceColor } from './colors';
import { formatBytes, formatMs, h } from './dom';
import { DEFAULT_SETTINGS, type PanelSettings } from './settings';

/** How often the panel asks the kernel for its memory (usage_request) while it is shown. */
const USAGE_POLL_MS = 3000;

export class TimingPanel extends Widget {
  private readonly header = h('div', { class: 'jp-gcnlab-header' });
  private readonly message = h('div', { class: 'jp-gcnlab-message' });
  private readonly body = h('div', { class: 'jp-gcnlab-body' });
  private readonly deviceSelect = h('select', { class: 'jp-gcnlab-device-select', 'aria-label': 'Current device' });
  private readonly deviceNote = h('span', { class: 'jp-gcnlab-device-note' });
  private readonly devicesTable = h('table', { class: 'jp-gcnlab-devices' });
  private readonly lastEpoch = h('div', { class: 'jp-gcnlab-last-epoch' });
  private readonly memoryLine = h('div', { class: 'jp-gcnlab-memory' });
  private readonly runsTable = h('table', { class: 'jp-gcnlab-runs' });
  private readonly cellsTable = h('table', { class: 'jp-gcnlab-cells' });
  private readonly referencesToggle = h('input', { type: 'checkbox', class: 'jp-gcnlab-references-toggle' });
  private readonly likeForLikeToggle = h('input', { type: 'checkbox', class: 'jp-gcnlab-like-for-like-toggle' });
  private usageTimer: number | null = null;
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
    this.likeForLikeToggle.checked = settings.likeForLikeOnly;
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

  /** Earlier kernels' runs (from the notebook), then this kernel's, as the table lists them. */
  allRuns(): RunRow[] {
    const record = this.record;
    return record ? [...this.tracker.earlierRuns, ...record.runs] : [];
  }

  exportRuns(format: 'csv' | 'json'): void {
    const record = this.record;
    if (!record) return;
    const name = `gcnlab-runs-${timestamp()}`;
    if (format === 'csv') download(`${name}.csv`, runsToCsv(this.allRuns()), 'text/csv');
    else download(`${name}.json`, runsToJson(record.kernelDisplayName, this.allRuns(), record.executions, record.memory), 'application/json');
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this.chartsStale) void this.drawCharts();
    this.pollUsage();
    this.usageTimer ??= window.setInterval(() => this.pollUsage(), USAGE_POLL_MS);
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    if (this.usageTimer !== null) window.clearInterval(this.usageTimer);
    this.usageTimer = null;
  }

  private pollUsage(): void {
    const active = this.tracker.active;
    if (active.kind === 'gcnlab') void active.connection.pollUsage();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.isVisible) void this.drawCharts();
  }

  private build(): void {
    this.deviceSelect.addEventListener('change', () => this.switchDevice(this.deviceSelect.value));
    this.referencesToggle.addEventListener('change', () => this.saveSetting('showReferences', this.referencesToggle.checked));
    this.likeForLikeToggle.addEventListener('change', () => this.saveSetting('likeForLikeOnly', this.likeForLikeToggle.checked));
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
      section('Training, live', chartExports(this.live.node, 'epochs'), this.live.node, this.lastEpoch, this.memoryLine),
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
        h('label', { class: 'jp-gcnlab-references' }, this.likeForLikeToggle, ' Like-for-like only: dense adjacency, as the article measured'),
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
    this.deviceNote.textContent = ` asking for ${device}…`;
    void active.connection.switchDevice(device);
  }

  private onChange(_: TimingTracker, change: TimingChange): void {
    const record = this.record;
    if (!record) return;
    switch (change.kind) {
      case 'memory':
        this.renderMemory(record);
        return;
      case 'epoch':
        this.renderLastEpoch(record);
        if (this.isVisible && !this.chartsStale) this.live.add(change.epoch, change.key);
        else this.chartsStale = true;
        return;
      case 'runs':
      case 'benchmark':
        this.renderLastEpoch(record);
        this.renderMemory(record);
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
      case 'reset':
        this.renderAll();
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
    this.renderMemory(record);
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
      likeForLikeOnly: this.settings.likeForLikeOnly,
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
    const pending = record.pendingSwitch;
    this.deviceNote.textContent = record.error
      ? ` ${record.error}`
      : pending
        ? pending.when === 'after-cell'
          ? ` switching to ${pending.device} once cell [${pending.runningCell}] finishes (devices change between cells, never inside one)`
          : ` switching to ${pending.device}…`
        : '';
    this.deviceNote.classList.toggle('jp-gcnlab-error', !!record.error);
    this.deviceNote.classList.toggle('jp-gcnlab-pending', !record.error && !!pending);
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
    const earlier = this.tracker.earlierRuns;
    const row = (run: RunRow) =>
      h(
        'tr',
        { class: `jp-gcnlab-run${run.earlier ? ' jp-gcnlab-earlier' : ''}`, 'data-run-id': run.runId, title: `${run.earlier ? 'earlier kernel, ' : ''}finished ${run.finishedAt ?? ''}` },
        ...SHOWN_RUN_COLUMNS.map((column) => h('td', {}, column.name === 'device' ? swatch(run.device) : null, column.shown.text(run))),
      );
    const group = (text: string) => h('tr', { class: 'jp-gcnlab-run-group' }, h('td', { colspan: String(SHOWN_RUN_COLUMNS.length) }, text));
    this.runsTable.replaceChildren(
      h('thead', {}, h('tr', {}, ...SHOWN_RUN_COLUMNS.map((column) => h('th', {}, column.shown.header)))),
      h(
        'tbody',
        {},
        earlier.length ? group(`Earlier runs (kept in the notebook): ${earlier.length}`) : null,
        ...earlier.map(row),
        earlier.length && record.runs.length ? group('This kernel') : null,
        ...record.runs.map(row),
        record.runs.length || earlier.length ? null : h('tr', {}, h('td', { colspan: String(SHOWN_RUN_COLUMNS.length), class: 'jp-gcnlab-empty' }, 'No finished runs yet.')),
      ),
    );
  }

  private renderMemory(record: KernelTiming): void {
    const now = record.memory;
    const peak = record.currentRunPeak;
    this.memoryLine.replaceChildren(
      now ? h('span', { class: 'jp-gcnlab-memory-now' }, `kernel memory: ${memoryText(now)}`) : 'kernel memory: waiting for the first sample…',
      ...(peak ? [h('span', { class: 'jp-gcnlab-memory-peak' }, ` · this run's peak: ${memoryText(peak)}`)] : []),
    );
  }

  private renderCells(record: KernelTiming): void {
    const recent = record.executions.slice(-50).reverse();
    const notebook = this.tracker.currentNotebook;
    // Cells the notebook shows without their number: their code comes from the kernel's history.
    const unknown = recent.filter((execution) => cellIndex(notebook, execution.executionCount) < 0 && !record.cellSources.has(execution.executionCount));
    const active = this.tracker.active;
    if (unknown.length && active.kind === 'gcnlab' && active.connection.record === record) {
      void active.connection.fetchCellSources(Math.max(...unknown.map((execution) => execution.executionCount)));
    }
    this.cellsTable.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', {}, 'cell'), h('th', {}, 'code'), h('th', {}, 'ms'), h('th', {}, 'device'))),
      h(
        'tbody',
        {},
        ...recent.map((execution) => {
          const byCount = cellIndex(notebook, execution.executionCount);
          const source = byCount >= 0 ? notebook!.content.widgets[byCount].model.sharedModel.getSource() : record.cellSources.get(execution.executionCount) ?? '';
          const index = findCell(notebook, execution.executionCount, source);
          const link = h('a', { class: 'jp-gcnlab-cell-link', href: '#', title: index >= 0 ? 'Scroll to this cell' : 'This cell is no longer in the notebook' }, `[${execution.executionCount}]`);
          link.addEventListener('click', (event) => {
            event.preventDefault();
            const current = this.tracker.currentNotebook;
            const at = findCell(current, execution.executionCount, source);
            if (current && at >= 0) revealCell(current, at);
          });
          return h(
            'tr',
            { class: `jp-gcnlab-cell jp-gcnlab-${execution.status}` },
            h('td', {}, link),
            h('td', { class: 'jp-gcnlab-code', title: source }, tellingLine(source).slice(0, 80)),
            h('td', {}, formatMs(execution.ms)),
            h('td', {}, execution.device),
          );
        }),
        recent.length ? null : h('tr', {}, h('td', { colspan: '4', class: 'jp-gcnlab-empty' }, 'No cells run yet.')),
      ),
    );
  }

}

function memoryText(memory: MemorySample): string {
  const gpu = memory.gpuBytes !== undefined ? ` · GPU ${formatBytes(memory.gpuBytes)}` : '';
  return `RSS ${formatBytes(memory.rss)} · heap ${formatBytes(memory.heapUsed)} · ${memory.tensors} tensors (${formatBytes(memory.tensorBytes)})${gpu}`;
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
