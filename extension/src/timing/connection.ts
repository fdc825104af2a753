// One gcnlab kernel's timing comm: opens it, reopens it after a restart, and hands every message to the kernel's
// record.
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { isTimingMessage, TARGET, type TimingToKernel } from '../protocol';
import { KernelTiming } from './record';

/** Statuses after which the kernel process is new (or gone), so its comms are gone too. */
const RESTARTING: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>(['restarting', 'autorestarting', 'dead']);

export class TimingConnection {
  readonly record: KernelTiming;
  private comm: Kernel.IComm | null = null;
  private requests = 0;
  private disposed = false;

  constructor(private readonly kernel: Kernel.IKernelConnection, displayName: string) {
    this.record = new KernelTiming(kernel.id, displayName);
    kernel.registerCommTarget(TARGET, this.adopt);
    kernel.statusChanged.connect(this.onStatus, this);
    kernel.disposed.connect(() => this.dispose());
    this.onStatus(kernel, kernel.status);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends a request; returns its requestId, which the kernel copies into its answer. */
  send(message: TimingToKernel): string | null {
    if (!this.comm || this.comm.isDisposed) return null;
    const requestId = `panel-${++this.requests}`;
    this.comm.send({ ...message, requestId } as never);
    return requestId;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    if (!this.kernel.isDisposed) this.kernel.removeCommTarget(TARGET, this.adopt);
    if (this.comm && !this.comm.isDisposed) this.comm.close();
    this.comm = null;
    this.record.setConnection('closed');
  }

  private onStatus(_: Kernel.IKernelConnection, status: Kernel.Status): void {
    if (RESTARTING.has(status)) {
      this.comm = null;
      this.record.setConnection(status === 'dead' ? 'dead' : 'restarting');
    } else if ((status === 'idle' || status === 'busy') && !this.comm && !this.disposed) {
      this.open();
    }
  }

  private open(): void {
    const comm = this.kernel.createComm(TARGET);
    this.listen(comm);
    this.record.setConnection('connecting');
    comm.open({ kind: 'list-devices', requestId: `panel-${++this.requests}` } satisfies TimingToKernel as never);
  }

  /** A comm the kernel opened: used unless one is already live, since every comm receives every event. */
  private readonly adopt = (comm: Kernel.IComm, message: KernelMessage.ICommOpenMsg): void => {
    if (this.comm && !this.comm.isDisposed) {
      comm.close();
      return;
    }
    this.listen(comm);
    this.receive(message.content.data);
  };

  private listen(comm: Kernel.IComm): void {
    this.comm = comm;
    comm.onMsg = (message) => this.receive(message.content.data);
    comm.onClose = () => {
      if (this.comm === comm) {
        this.comm = null;
        this.record.setConnection('closed');
      }
    };
  }

  private receive(data: unknown): void {
    if (isTimingMessage(data)) this.record.apply(data);
  }
}
