// What one gcnlab kernel has told the panel: its devices, the current device, live epochs, finished runs, benchmark
// rows, cell times and memory, built from its numbered records. Changes are announced so the panel and status bar
// redraw only what changed.
import { Signal, type ISignal } from '@lumino/signaling';
import type {
  BenchmarkRow,
  DeviceInfo,
  DeviceName,
  EpochMessage,
  ExecutionMessage,
  MemorySample,
  RunSummary,
  TimingFromKernel,
  TimingRecord,
} from '../messages';
import { higherMemory } from '../../../kernel/timing/memory-sample';
import { usageSample, type UsageFigures } from './usage';

export type ConnectionState = 'connecting' | 'connected' | 'restarting' | 'dead' | 'closed';

export type TimingChange =
  /** `reset`: a new kernel process; everything the earlier one said is gone. */
  | { kind: 'connection' | 'devices' | 'device' | 'runs' | 'benchmark' | 'executions' | 'error' | 'memory' | 'reset' }
  | { kind: 'epoch'; epoch: EpochMessage; key: string };

/** A finished run as the table and exports show it. */
export interface RunRow extends RunSummary {
  index: number;
  /** `session/runId`: unique across kernel restarts (a new kernel process counts its runs afresh). */
  key: string;
  /** The kernel process that ran it. */
  session: string;
  /** When it finished (ISO time, from the kernel's clock). */
  finishedAt: string;
  /** The execution count of the cell that ran it. */
  cell?: number;
  /** The highest memory figures over the run. */
  peakMemory?: MemorySample;
  /** Run by an earlier kernel (before a restart, or before the notebook was reopened): kept in the notebook. */
  earlier?: boolean;
}

export interface CellTime extends ExecutionMessage {
  at: number;
}

/** A device switch the kernel accepted but has not reported yet. */
export interface PendingSwitch {
  device: string;
  requestId: string;
  when: 'now' | 'after-cell';
  runningCell: number | null;
}

export class KernelTiming {
  connection: ConnectionState = 'connecting';
  gcnlabVersion = '';
  devices: DeviceInfo[] = [];
  current: DeviceName | null = null;
  /** The kernel process whose records these are (null before the first); a new one means a restart. */
  session: string | null = null;
  lastSeq = 0;
  /** Epochs of each run by run key (see RunRow.key), newest runs last; at most `pointsKept` per run. */
  readonly epochs = new Map<string, EpochMessage[]>();
  readonly runs: RunRow[] = [];
  benchmark: BenchmarkRow[] = [];
  readonly executions: CellTime[] = [];
  lastEpoch: EpochMessage | null = null;
  /** The latest memory figures: from usage_request, or the last epoch that carried a sample. */
  memory: MemorySample | null = null;
  /** Each training run's highest figures so far, by run key. */
  private readonly runPeaks = new Map<string, MemorySample>();
  pendingSwitch: PendingSwitch | null = null;
  runningCell: number | null = null;
  /**
   * This kernel process's cells' code by execution count, from its history: for cells the notebook shows without
   * their number (after a reload or in a second tab the notebook comes from disk).
   */
  readonly cellSources = new Map<number, string>();
  /** The last failed request's message, for the panel to show until the next success. */
  error: string | null = null;
  pointsKept = 1000;

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

  /** The running run's highest memory figures so far. */
  get currentRunPeak(): MemorySample | null {
    const epoch = this.lastEpoch;
    return epoch && this.isTraining ? this.runPeaks.get(this.keyOf(epoch.runId)) ?? null : null;
  }

  keyOf(runId: string): string {
    return `${this.session}/${runId}`;
  }

  setConnection(state: ConnectionState): void {
    if (this.connection === state) return;
    this.connection = state;
    if (state === 'restarting' || state === 'dead') {
      this.pendingSwitch = null;
      this.runningCell = null;
    }
    this.emit({ kind: 'connection' });
  }

  setRunningCell(cell: number | null): void {
    this.runningCell = cell;
  }

  /**
   * Applies records of kernel process `session` in order, skipping those already applied. Returns false when some
   * are missing before them (the caller fetches the history); `fromHistory` records may start anywhere.
   */
  applyRecords(session: string, records: readonly TimingRecord[], fromHistory = false): boolean {
    if (session !== this.session) this.startSession(session);
    let complete = true;
    for (const record of records) {
      if (record.seq <= this.lastSeq) continue;
      if (record.seq !== this.lastSeq + 1 && !fromHistory) complete = false;
      this.lastSeq = record.seq;
      this.apply(record);
    }
    return complete;
  }

  switchAsked(pending: PendingSwitch): void {
    this.pendingSwitch = pending;
    this.error = null;
    this.emit({ kind: 'device' });
  }

  failed(message: string): void {
    this.error = message;
    this.emit({ kind: 'error' });
  }

  setCellSources(sources: ReadonlyMap<number, string>): void {
    for (const [count, source] of sources) this.cellSources.set(count, source);
    this.emit({ kind: 'executions' });
  }

  setUsage(usage: UsageFigures): void {
    const sample = usageSample(usage);
    if (!sample) return;
    this.memory = sample;
    this.emit({ kind: 'memory' });
  }

  /** A new kernel process: what the earlier one said is gone from the kernel (earlier runs live in the notebook). */
  private startSession(session: string): void {
    const first = this.session === null;
    this.session = session;
    this.lastSeq = 0;
    this.epochs.clear();
    this.runs.length = 0;
    this.executions.length = 0;
    this.cellSources.clear();
    this.runPeaks.clear();
    this.benchmark = [];
    this.lastEpoch = null;
    this.memory = null;
    this.pendingSwitch = null;
    if (!first) this.emit({ kind: 'reset' });
  }

  private apply(record: TimingRecord): void {
    const message: TimingFromKernel = record.message;
    switch (message.kind) {
      case 'hello':
        this.gcnlabVersion = message.gcnlabVersion;
        this.setDevices(message.devices, message.current);
        return;
      case 'devices':
        this.setDevices(message.devices, message.current);
        return;
      case 'device':
        this.current = message.device;
        if (!message.requestId || message.requestId === this.pendingSwitch?.requestId) this.pendingSwitch = null;
        this.error = null;
        this.emit({ kind: 'device' });
        return;
      case 'epoch':
        this.addEpoch(message);
        return;
      case 'run': {
        const key = this.keyOf(message.run.runId);
        this.runs.push({
          ...message.run,
          index: this.runs.length + 1,
          key,
          session: this.session!,
          finishedAt: new Date(record.at).toISOString(),
          cell: record.cell,
          peakMemory: message.peakMemory,
        });
        this.runPeaks.delete(key);
        this.emit({ kind: 'runs' });
        return;
      }
      case 'benchmark':
        this.benchmark = message.rows;
        this.emit({ kind: 'benchmark' });
        return;
      case 'execution':
        this.executions.push({ ...message, at: record.at });
        this.emit({ kind: 'executions' });
        return;
      case 'error':
        if (message.requestId && message.requestId === this.pendingSwitch?.requestId) this.pendingSwitch = null;
        this.error = message.message;
        this.emit({ kind: 'error' });
        return;
      default:
        // Every kind of the kernel's union has its case above (a new one is a compile error here); a newer kernel's
        // kinds that this panel does not know are skipped.
        message satisfies never;
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
    if (epoch.memory) {
      this.memory = epoch.memory;
      const peak = this.runPeaks.get(key);
      this.runPeaks.set(key, peak ? higherMemory(peak, epoch.memory) : epoch.memory);
      this.emit({ kind: 'memory' });
    }
    this.emit({ kind: 'epoch', epoch, key });
  }

  private emit(change: TimingChange): void {
    this.changedSignal.emit(change);
  }
}
