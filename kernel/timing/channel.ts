// The timing channel: numbers every runtime event and cell time, hands them to the control thread's history,
// publishes them on iopub (never queued behind cells) once a frontend has asked for that history, serves the
// `gcnlab.timing` comm, and switches devices between cells when asked on the control channel.
import { randomUUID } from 'node:crypto';
import type { RuntimeEvent, TensorMemory } from 'gcnlab';
import type { Comm, CommTarget } from '../comms.js';
import type { Gcnlab } from '../runtime.js';
import type { Header } from '../wire/messages.js';
import { MemoryPeaks } from './memory.js';
import {
  TIMING_IOPUB_TYPE,
  TIMING_MESSAGES_VERSION,
  TIMING_REQUEST_KINDS,
  type TimingFromKernel,
  type TimingIopubContent,
  type TimingRecord,
  type TimingToKernel,
} from './messages.js';
import { openThreadChannel, type ThreadChannel } from './threads.js';

/** iopub batches go out at most this often, so a fast run stays far below jupyter_server's iopub rate limit. */
const BATCH_MS = 40;

export interface Publisher {
  publish(msgType: string, content: object, parent?: Header): unknown;
}

export class TimingChannel implements CommTarget {
  private readonly comms = new Set<Comm>();
  /** Random per kernel process, so a frontend can tell a restarted kernel's records from the earlier one's. */
  readonly session = randomUUID();
  private seq = 0;
  private batch: TimingRecord[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  private lastBatch = 0;
  private runningCell: number | null = null;
  /** A device switch asked for while a cell ran: applied once it has finished. */
  private pendingSwitch: { device: string; requestId: string } | null = null;
  private switching: Promise<void> = Promise.resolve();
  private readonly threads: ThreadChannel;
  private readonly peaks: MemoryPeaks;
  /**
   * Set once a frontend (the panel) has pulled the history: only then do records go on iopub, so clients that never
   * asked (nbclient, the Jupyter kernel test suite, consoles) see exactly the messages Jupyter's protocol defines.
   */
  private listening = false;
  private gcnlab: Gcnlab | undefined;

  constructor(
    private readonly runtime: Promise<Gcnlab>,
    private readonly version: string,
    private readonly iopub: Publisher,
  ) {
    this.peaks = new MemoryPeaks(() => this.gcnlab?.tensorMemory as (() => TensorMemory | undefined) | undefined);
    this.threads = openThreadChannel((message) => {
      if (message.type === 'listening') this.listening = true;
      if (message.type !== 'switch-device') return;
      this.pendingSwitch = { device: message.device, requestId: message.requestId };
      if (this.runningCell === null) this.applyPendingSwitch();
    });
    runtime.then(
      async (gcnlab) => {
        this.gcnlab = gcnlab;
        // The first record: what a panel that connects at any later time needs before anything else.
        this.broadcast(await this.hello());
      },
      () => undefined,
    );
  }

  private send(comm: Comm, message: TimingFromKernel): void {
    comm.send(message);
  }

  /** Publishes `message` on iopub and to every open timing comm, and keeps it in the control thread's history. */
  broadcast(message: TimingFromKernel): void {
    for (const comm of this.comms) this.send(comm, message);
    const record: TimingRecord = { seq: ++this.seq, at: Date.now(), message };
    if (this.runningCell !== null) record.cell = this.runningCell;
    this.batch.push(record);
    this.batchTimer ??= setTimeout(() => this.flush(), Math.max(0, BATCH_MS - (performance.now() - this.lastBatch)));
  }

  private flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.lastBatch = performance.now();
    const records = this.batch;
    this.batch = [];
    if (!records.length) return;
    this.threads.post({ type: 'records', session: this.session, records });
    if (!this.listening) return;
    // No parent header: these are no cell's output (nbclient and output areas skip them; the panel listens for them).
    this.iopub.publish(TIMING_IOPUB_TYPE, { session: this.session, records } satisfies TimingIopubContent, undefined);
  }

  /** A runtime event as its timing message, with the kernel's memory at epochs and each run's peaks. */
  fromEvent(event: RuntimeEvent): TimingFromKernel {
    switch (event.type) {
      case 'epoch': {
        const memory = this.peaks.atEpoch(event.runId);
        return memory ? { ...event, kind: 'epoch', memory } : { ...event, kind: 'epoch' };
      }
      case 'run':
        return { kind: 'run', run: event.run, peakMemory: this.peaks.finish(event.run.runId) };
      case 'benchmark':
        return { kind: 'benchmark', rows: event.rows };
      case 'device':
        return { kind: 'device', device: event.device };
    }
  }

  /** Before a cell runs: a device switch still under way (or asked for since the last cell) finishes first. */
  async beforeCell(executionCount: number): Promise<void> {
    if (this.pendingSwitch) this.applyPendingSwitch();
    await this.switching;
    this.runningCell = executionCount;
    this.threads.post({ type: 'cell', running: executionCount });
  }

  /** After a cell: a switch asked for while it ran is applied now, before the next queued cell. */
  afterCell(): void {
    this.runningCell = null;
    this.threads.post({ type: 'cell', running: null });
    this.flush();
    if (this.pendingSwitch) this.applyPendingSwitch();
  }

  private applyPendingSwitch(): void {
    const request = this.pendingSwitch!;
    this.pendingSwitch = null;
    this.switching = this.switching.then(async () => {
      try {
        const info = await (await this.runtime).useDevice(request.device);
        this.broadcast({ kind: 'device', requestId: request.requestId, device: info.name });
      } catch (error) {
        this.broadcast(this.failure({ kind: 'switch-device', device: request.device, requestId: request.requestId }, error));
      }
    });
  }

  async hello(): Promise<TimingFromKernel> {
    const gcnlab = await this.runtime;
    return { kind: 'hello', protocol: TIMING_MESSAGES_VERSION, gcnlabVersion: this.version, current: gcnlab.currentDevice(), devices: await gcnlab.listDevices() };
  }

  opened(comm: Comm, data: Record<string, unknown>, fromFrontend: boolean): void {
    this.comms.add(comm);
    void (async () => {
      if (fromFrontend) this.send(comm, await this.hello().catch((e) => this.failure(undefined, e)));
      if (typeof data.kind === 'string' && data.kind !== 'hello') this.message(comm, data);
    })();
  }

  closed(comm: Comm): void {
    this.comms.delete(comm);
  }

  message(comm: Comm, data: Record<string, unknown>): void {
    void this.answer(comm, data);
  }

  private async answer(comm: Comm, data: Record<string, unknown>): Promise<void> {
    const requestId = typeof data.requestId === 'string' ? data.requestId : undefined;
    if (!TIMING_REQUEST_KINDS.includes(data.kind as TimingToKernel['kind'])) {
      this.send(comm, {
        kind: 'error',
        requestId,
        request: typeof data.kind === 'string' ? data.kind : undefined,
        code: 'BAD_REQUEST',
        message: `unknown request kind ${JSON.stringify(data.kind)}: send one of ${TIMING_REQUEST_KINDS.join(', ')}`,
      });
      return;
    }
    const request = data as unknown as TimingToKernel;
    try {
      const gcnlab = await this.runtime;
      if (request.kind === 'list-devices') {
        this.send(comm, { kind: 'devices', requestId, current: gcnlab.currentDevice(), devices: await gcnlab.listDevices() });
      } else {
        // The answer carries the requestId; useDevice also broadcasts a device event when the device changed.
        const info = await gcnlab.useDevice(request.device);
        this.send(comm, { kind: 'device', requestId, device: info.name });
      }
    } catch (error) {
      this.send(comm, this.failure(request, error));
    }
  }

  private failure(request: TimingToKernel | undefined, error: unknown): TimingFromKernel {
    return {
      kind: 'error',
      requestId: request?.requestId,
      request: request?.kind,
      code: (error as { code?: string }).code ?? 'RUNTIME_ERROR',
      message: (error as Error).message ?? String(error),
    };
  }
}
