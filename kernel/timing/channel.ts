// The gcnlab.timing comm target: publishes the runtime's events to every open timing comm, answers device requests.
import type { RuntimeEvent } from 'gcnlab';
import type { Comm, CommTarget } from '../comms.js';
import type { Gcnlab } from '../runtime.js';
import { TIMING_PROTOCOL_VERSION, TIMING_REQUEST_KINDS, type TimingFromKernel, type TimingToKernel } from './messages.js';

export class TimingChannel implements CommTarget {
  private readonly comms = new Set<Comm>();

  constructor(
    private readonly runtime: Promise<Gcnlab>,
    private readonly version: string,
  ) {}

  private send(comm: Comm, message: TimingFromKernel): void {
    comm.send(message);
  }

  /** Every open timing comm gets `message`. */
  broadcast(message: TimingFromKernel): void {
    for (const comm of this.comms) this.send(comm, message);
  }

  /** A runtime event as its timing message. */
  static fromEvent(event: RuntimeEvent): TimingFromKernel {
    switch (event.type) {
      case 'epoch':
        return { ...event, kind: 'epoch' };
      case 'run':
        return { kind: 'run', run: event.run };
      case 'benchmark':
        return { kind: 'benchmark', rows: event.rows };
      case 'device':
        return { kind: 'device', device: event.device };
    }
  }

  async hello(): Promise<TimingFromKernel> {
    const gcnlab = await this.runtime;
    return { kind: 'hello', protocol: TIMING_PROTOCOL_VERSION, gcnlabVersion: this.version, current: gcnlab.currentDevice(), devices: await gcnlab.listDevices() };
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
