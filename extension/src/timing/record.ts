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
  | { kind: 'epoch'; epoch: EpochMessage };

/** A finished run with its position among this kernel's runs, as the table and exports show it. */
export interface RunRow extends RunSummary {
  index: number;
}

export class KernelTiming {
  connection: ConnectionState = 'connecting';
  gcnlabVersion = '';
  devices: DeviceInfo[] = [];
  current: DeviceName | null = null;
  /** Epochs of each run by runId, newest runs last; at most `pointsKept` per run. */
  readonly epochs = new Map<string, EpochMessage[]>();
  readonly runs: RunRow[] = [];
  benchmark: BenchmarkRow[] = [];
  readonly executions: ExecutionMessage[] = [];
  lastEpoch: EpochMessage | null = null;
  /** The last failed request's message, for the panel to show until the next success. */
  error: string | null = null;
  pointsKept = 1000;

  private readonly changedSignal = new Signal<this, TimingChange>(this);

  constructor(readonly kernelId: string, readonly kernelDisplayName: string) {}

  get changed(): ISignal<this, TimingChange> {
    return this.changedSignal;
  }

  /** Whether a run has epochs but has not finished yet. */
  get liveRunId(): string | null {
    const id = this.lastEpoch?.runId;
    return id && !this.runs.some((run) => run.runId === id) ? id : null;
  }

  setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
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
        this.runs.push({ ...message.run, index: this.runs.length + 1 });
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
    let run = this.epochs.get(epoch.runId);
    if (!run) this.epochs.set(epoch.runId, (run = []));
    run.push(epoch);
    if (run.length > this.pointsKept) run.splice(0, run.length - this.pointsKept);
    this.lastEpoch = epoch;
    this.emit({ kind: 'epoch', epoch });
  }

  private emit(change: TimingChange): void {
    this.changedSignal.emit(change);
  }
}
