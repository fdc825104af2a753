// Follows the active notebook and its kernel (switches, kernel changes, restarts), keeps one timing connection per
// gcnlab kernel, so a notebook's runs are still there when the user comes back to it, and writes each notebook's
// finished runs into its metadata.
import type { ISessionContext } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { Signal, type ISignal } from '@lumino/signaling';
import { TimingConnection } from './connection';
import { earlierRuns, keepRuns } from './notebook-runs';
import type { KernelTiming, RunRow, TimingChange } from './record';

export type ActiveKernel =
  | { kind: 'no-notebook' }
  | { kind: 'no-kernel'; path: string }
  | { kind: 'other'; path: string; kernelName: string; displayName: string }
  | { kind: 'gcnlab'; path: string; connection: TimingConnection };

/** Kernelspec names that speak `gcnlab.timing` (the installer writes `gcnlab`; copies may add a suffix). */
export function isGcnlabKernel(name: string): boolean {
  return name === 'gcnlab' || name.startsWith('gcnlab-') || name.startsWith('gcnlab_');
}

export class TimingTracker {
  private readonly connections = new Map<string, TimingConnection>();
  private readonly activeChangedSignal = new Signal<this, ActiveKernel>(this);
  private readonly changedSignal = new Signal<this, TimingChange>(this);
  private sessionContext: ISessionContext | null = null;
  private panel: NotebookPanel | null = null;
  /** The record each notebook keeps its runs from (one keeper per notebook, moved when its kernel changes). */
  private readonly keepers = new WeakMap<NotebookPanel, { record: KernelTiming; keep: () => void }>();
  private record: KernelTiming | null = null;
  private activeKernel: ActiveKernel = { kind: 'no-notebook' };
  private points = 1000;

  constructor(private readonly notebooks: INotebookTracker) {
    notebooks.currentChanged.connect(this.follow, this);
    this.follow(notebooks, notebooks.currentWidget);
  }

  get active(): ActiveKernel {
    return this.activeKernel;
  }

  /** Emitted when the panel should show another kernel (or none). */
  get activeChanged(): ISignal<this, ActiveKernel> {
    return this.activeChangedSignal;
  }

  /** The active gcnlab kernel's changes. */
  get changed(): ISignal<this, TimingChange> {
    return this.changedSignal;
  }

  get currentNotebook(): NotebookPanel | null {
    return this.notebooks.currentWidget;
  }

  /** The current notebook's runs from earlier kernels (saved in its metadata), oldest first. */
  get earlierRuns(): RunRow[] {
    const model = this.notebooks.currentWidget?.context.model;
    return model ? earlierRuns(model, this.record?.session ?? null) : [];
  }

  set pointsKept(points: number) {
    this.points = points;
    for (const connection of this.connections.values()) connection.record.pointsKept = points;
  }

  private follow(_: unknown, panel: NotebookPanel | null): void {
    this.sessionContext?.kernelChanged.disconnect(this.update, this);
    this.sessionContext?.sessionChanged.disconnect(this.update, this);
    this.panel?.context.model.metadataChanged.disconnect(this.onMetadata, this);
    this.panel = panel;
    this.panel?.context.model.metadataChanged.connect(this.onMetadata, this);
    this.sessionContext = panel?.sessionContext ?? null;
    this.sessionContext?.kernelChanged.connect(this.update, this);
    this.sessionContext?.sessionChanged.connect(this.update, this);
    this.update();
  }

  private update(): void {
    const context = this.sessionContext;
    const kernel = context?.session?.kernel ?? null;
    const path = context?.path ?? '';
    let next: ActiveKernel;
    if (!context) next = { kind: 'no-notebook' };
    else if (!kernel) next = { kind: 'no-kernel', path };
    else if (!isGcnlabKernel(kernel.name))
      next = { kind: 'other', path, kernelName: kernel.name, displayName: context.kernelDisplayName };
    else next = { kind: 'gcnlab', path, connection: this.connect(kernel, context.kernelDisplayName) };
    if (next.kind === 'gcnlab' && this.panel) this.keepRunsOf(this.panel, next.connection.record);
    this.setActive(next);
  }

  /** Writes the runs of `record` into the notebook's metadata now and as they finish. */
  private keepRunsOf(panel: NotebookPanel, record: KernelTiming): void {
    const previous = this.keepers.get(panel);
    if (previous?.record === record) return;
    if (previous) previous.record.changed.disconnect(previous.keep);
    const keep = (_?: unknown, change?: TimingChange) => {
      if ((!change || change.kind === 'runs') && !panel.isDisposed) keepRuns(panel.context.model, record.runs);
    };
    record.changed.connect(keep);
    panel.disposed.connect(() => record.changed.disconnect(keep));
    this.keepers.set(panel, { record, keep });
    keep();
  }

  private onMetadata(): void {
    this.changedSignal.emit({ kind: 'runs' });
  }

  private connect(kernel: Kernel.IKernelConnection, displayName: string): TimingConnection {
    let connection = this.connections.get(kernel.id);
    if (!connection || connection.isDisposed) {
      connection = new TimingConnection(kernel, displayName);
      connection.record.pointsKept = this.points;
      this.connections.set(kernel.id, connection);
      kernel.disposed.connect(() => this.connections.delete(kernel.id));
    }
    return connection;
  }

  private setActive(next: ActiveKernel): void {
    const record = next.kind === 'gcnlab' ? next.connection.record : null;
    const same =
      next.kind === this.activeKernel.kind && record === this.record && ('path' in next ? next.path : '') === ('path' in this.activeKernel ? this.activeKernel.path : '');
    if (same && next.kind !== 'other') return;
    this.record?.changed.disconnect(this.forward, this);
    this.record = record;
    this.record?.changed.connect(this.forward, this);
    this.activeKernel = next;
    this.activeChangedSignal.emit(next);
  }

  private forward(_: KernelTiming, change: TimingChange): void {
    this.changedSignal.emit(change);
  }
}
