// What one gcnlab kernel has told the panel: its devices, the current device, live epochs, finished runs,
// benchmark rows and cell times. Changes are announced so the panel and status bar redraw only what changed.
import { Signal, type ISignal } from '@lumino/signaling';
import type {
  BenchmarkRow,
  DeviceInfo,
  DeviceName,
  EpochMessage,
  ExecutionMessage,
  RunSummary,
  TimingFromKernel,
} from '../protocol';

export type ConnectionState = 'connecting' | 'connected' | 'restarting' | 'dead' | 'closed';

export type TimingChange =
  | { kind: 'connection' | 'devices' | 'device' | 'runs' | 'benchmark' | 'executions' | 'error' }
  | { kind: 'epoch'; epoch: EpochMessage; key: string };

/** A finished run with its position among this kernel's runs, as the table and exports show it. */
export interface RunRow extends RunSummary {
  index: number;
  /** runId made unique across kernel restarts (a new kernel process counts its runs afresh). */
  key: string;
}

export class KernelTiming {
  connection: ConnectionState = 'connecting';
  gcnlabVersion = '';
  devices: DeviceInfo[] = [];
  current: DeviceName | null = null;
  /** Epochs of each run by run key (see RunRow.key), newest runs last; at most `pointsKept` per run. */
  readonly epochs = new Map<string, EpochMessage[]>();
  readonly runs: RunRow[] = [];
  benchmark: BenchmarkRow[] = [];
  readonly executions: ExecutionMessage[] = [];
  lastEpoch: EpochMessage | null = null;
  /** The last failed request's message, for the panel to show until the next success. */
  error: string | null = null;
  pointsKept = 1000;
  /** How many times the kernel process was replaced (restarts), to keep run keys unique. */
  private generation = 0;

  private readonly changedSignal = new Signal<this, TimingChange>(this);

  constructor(readonly kernelId: string, readonly kernelDisplayName: string) {}

  get changed(): ISignal<this, TimingChange> {
    return this.changedSignal;
  }

  /** Whether the last epoch's run has not finished yet. */
  get isTraining(): boolean {
    const epoch = this.lastEpoch;
    return !!epoch && !this.runs.some((run) => run.key === this.keyOf(epoch.runId));
  }

  keyOf(runId: string): string {
    return `${this.generation}/${runId}`;
  }

  setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
    if (state === 'restarting' || state === 'dead') this.generation += 1;
    this.connection = state;
    this.emit({ kind: 'connection' });
  }

  apply(message: TimingFromKernel): void {
    switch (message.kind) {
      case 'hello':
        this.gcnlabVersion = message.gcnlabVersion;
        this.setDevices(message.devices, message.current);
        this.setConnection('connected');
        return;
      case 'devices':
        this.setDevices(message.devices, message.current);
        this.setConnection('connected');
        return;
      case 'device':
        this.current = message.device;
        this.error = null;
        this.emit({ kind: 'device' });
        return;
      case 'epoch':
        this.addEpoch(message);
        return;
      case 'run':
        this.runs.push({ ...message.run, index: this.runs.length + 1, key: this.keyOf(message.run.runId) });
        this.emit({ kind: 'runs' });
        return;
      case 'benchmark':
        this.benchmark = message.rows;
        this.emit({ kind: 'benchmark' });
        return;
      case 'execution':
        this.executions.push(message);
        this.emit({ kind: 'executions' });
        return;
      case 'error':
        this.error = message.message;
        this.emit({ kind: 'error' });
        return;
    }
  }

  private setDevices(devices: DeviceInfo[], current: DeviceName): void {
    this.devices = devices;
    this.current = current;
    this.emit({ kind: 'devices' });
  }

  private addEpoch(epoch: EpochMessage): void {
    const key = this.keyOf(epoch.runId);
    let run = this.epochs.get(key);
    if (!run) this.epochs.set(key, (run = []));
    run.push(epoch);
    if (run.length > this.pointsKept) run.splice(0, run.length - this.pointsKept);
    this.lastEpoch = epoch;
    this.emit({ kind: 'epoch', epoch, key });
  }

  private emit(change: TimingChange): void {
    this.changedSignal.emit(change);
  }
}
