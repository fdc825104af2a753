// The status bar item: the active gcnlab kernel's device and its last epoch's ms; a click opens the panel.
import { Signal, type ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { TimingTracker } from './timing/tracker';
import { formatMs } from './panel/dom';

export class DeviceStatus extends Widget {
  private frame: number | null = null;
  private readonly activeStateChangedSignal = new Signal<this, void>(this);

  constructor(private readonly tracker: TimingTracker, open: () => void) {
    super();
    this.addClass('jp-gcnlab-status');
    this.node.title = 'gcnlab: current device and last epoch; click to open the device timing panel';
    this.node.addEventListener('click', open);
    tracker.activeChanged.connect(() => {
      this.activeStateChangedSignal.emit();
      this.schedule();
    }, this);
    tracker.changed.connect(this.schedule, this);
    this.render();
  }

  /** For the status bar: the item shows only while the active notebook runs a gcnlab kernel. */
  get activeStateChanged(): ISignal<this, void> {
    return this.activeStateChangedSignal;
  }

  get isActive(): boolean {
    return this.tracker.active.kind === 'gcnlab';
  }

  /** At most one redraw per frame, however fast epochs arrive. */
  private schedule(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  private render(): void {
    const active = this.tracker.active;
    if (active.kind !== 'gcnlab') {
      this.node.textContent = '';
      return;
    }
    const record = active.connection.record;
    const epoch = record.lastEpoch;
    const device = record.current ?? '…';
    this.node.textContent = epoch ? `gcnlab: ${device} · ${formatMs(epoch.epochMs)} ms/epoch` : `gcnlab: ${device}`;
  }
}
