// One gcnlab kernel's timing feed: records arrive on iopub (never queued behind cells, seen by every tab), the
// history since the kernel started is pulled on the control channel when the panel connects, reconnects or sees a
// gap, and device switches go on control too, so they are answered while cells are queued.
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { CONTROL_REQUEST, IOPUB_TYPE, type TimingControlReply, type TimingControlRequest, type TimingIopubContent } from '../messages';
import { controlRequest } from './control';
import { KernelTiming } from './record';
import type { UsageFigures } from './usage';

/** Statuses after which the kernel process is new (or gone). */
const RESTARTING: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>(['restarting', 'autorestarting', 'dead']);

export class TimingConnection {
  readonly record: KernelTiming;
  private requests = 0;
  private disposed = false;
  /** iopub batches that came while the history was being fetched: applied after it, in order. */
  private held: TimingIopubContent[] | null = null;
  private syncAgain = false;
  /** The cells' code asked for from the kernel's history: up to which execution count, of which kernel process. */
  private sourcesAsked = { session: '', upTo: 0 };

  constructor(private readonly kernel: Kernel.IKernelConnection, displayName: string) {
    this.record = new KernelTiming(kernel.id, displayName);
    kernel.iopubMessage.connect(this.onIopub, this);
    kernel.statusChanged.connect(this.onStatus, this);
    kernel.connectionStatusChanged.connect(this.onConnection, this);
    kernel.disposed.connect(() => this.dispose());
    if (kernel.connectionStatus === 'connected') void this.sync();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Asks the kernel to switch device: now when no cell runs, else between the running cell and the next one. The
   * record's pendingSwitch says which until the kernel reports the switch (or why it failed).
   */
  async switchDevice(device: string): Promise<void> {
    const requestId = `panel-${Date.now()}-${++this.requests}`;
    try {
      const reply = await controlRequest<TimingControlReply>(this.kernel, CONTROL_REQUEST, { kind: 'switch-device', device, requestId } satisfies TimingControlRequest);
      if (reply.status !== 'ok' || reply.kind !== 'switch-device') throw new Error(reply.status === 'error' ? reply.evalue : 'unexpected reply');
      this.record.switchAsked({ device, requestId, when: reply.when, runningCell: reply.runningCell });
    } catch (error) {
      this.record.failed(`could not ask for ${device}: ${(error as Error).message}`);
    }
  }

  /** The kernel's memory now (usage_request, answered by its control thread even while a cell runs). */
  async pollUsage(): Promise<void> {
    if (this.kernel.connectionStatus !== 'connected' || RESTARTING.has(this.kernel.status)) return;
    try {
      this.record.setUsage(await controlRequest<UsageFigures>(this.kernel, 'usage_request', {}, 5_000));
    } catch {
      // An old kernel without usage_request, or one restarting: the epochs' own samples still show.
    }
  }

  /**
   * Fetches the code of this kernel process's cells up to execution count `upTo` from its history (history_request:
   * on the shell channel, so during Run All it is answered once the queued cells have run). Asks once per count.
   */
  async fetchCellSources(upTo: number): Promise<void> {
    const session = this.record.session;
    if (!session || (this.sourcesAsked.session === session && upTo <= this.sourcesAsked.upTo)) return;
    this.sourcesAsked = { session, upTo };
    try {
      const reply = await this.kernel.requestHistory({ output: false, raw: true, hist_access_type: 'range', session: 0, start: 1, stop: upTo + 1 });
      if (this.record.session !== session || reply.content.status !== 'ok') return;
      const sources = new Map<number, string>();
      for (const [, line, input] of reply.content.history as [number, number, string][]) if (typeof input === 'string') sources.set(line, input);
      this.record.setCellSources(sources);
    } catch {
      // A kernel restarting or gone: the cell-times table keeps the execution counts.
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.iopubMessage.disconnect(this.onIopub, this);
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    this.kernel.connectionStatusChanged.disconnect(this.onConnection, this);
    this.record.setConnection('closed');
  }

  private onIopub(_: Kernel.IKernelConnection, message: KernelMessage.IIOPubMessage): void {
    if ((message.header.msg_type as string) !== IOPUB_TYPE) return;
    const content = message.content as unknown as TimingIopubContent;
    if (this.held) {
      this.held.push(content);
      return;
    }
    if (!this.record.applyRecords(content.session, content.records)) void this.sync();
  }

  private onStatus(_: Kernel.IKernelConnection, status: Kernel.Status): void {
    if (RESTARTING.has(status)) this.record.setConnection(status === 'dead' ? 'dead' : 'restarting');
    else if (this.record.connection === 'restarting' && status !== 'unknown' && this.kernel.connectionStatus === 'connected') void this.sync();
  }

  private onConnection(_: Kernel.IKernelConnection, status: Kernel.ConnectionStatus): void {
    if (status === 'connected') void this.sync();
  }

  /** Pulls every record after the last one applied (all of them after a restart), then what iopub brought meanwhile. */
  private async sync(): Promise<void> {
    if (this.held) {
      this.syncAgain = true;
      return;
    }
    this.held = [];
    let first = this.record.session === null;
    try {
      do {
        this.syncAgain = false;
        let after = this.record.lastSeq;
        let session = this.record.session;
        for (;;) {
          const reply = await controlRequest<TimingControlReply>(this.kernel, CONTROL_REQUEST, { kind: 'history', after: session ? after : 0 } satisfies TimingControlRequest);
          if (reply.status !== 'ok' || reply.kind !== 'history') throw new Error(reply.status === 'error' ? reply.evalue : 'unexpected reply');
          if (reply.session !== session && after > 0) {
            // Another kernel process answered (it restarted): everything it has, from the start.
            session = reply.session;
            after = 0;
            continue;
          }
          session = reply.session;
          this.record.applyRecords(reply.session, reply.records, true);
          this.record.setRunningCell(reply.runningCell);
          after = this.record.lastSeq;
          if (!reply.more) break;
        }
        this.record.setConnection('connected');
        // The kernel publishes on iopub from the first history request on: one more pull catches records made
        // between its answer and the kernel learning of it.
        if (first) window.setTimeout(() => void this.sync(), 1000);
        first = false;
      } while (this.syncAgain);
    } catch (error) {
      this.record.failed(`the timing history did not arrive: ${(error as Error).message}`);
    } finally {
      const held = this.held ?? [];
      this.held = null;
      let gap = false;
      for (const content of held) gap = !this.record.applyRecords(content.session, content.records) || gap;
      // A sync asked for while this one failed (a request the kernel lost as it restarted) runs now: the do-while
      // above only sees it when this one succeeds, and else the panel stayed at "kernel restarting…".
      const again = this.syncAgain;
      this.syncAgain = false;
      if ((gap || again) && !this.disposed) void this.sync();
    }
  }
}
