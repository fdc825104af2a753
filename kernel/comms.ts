// Comms: both directions, with binary buffers both ways. Targets register here; comms the frontend opens reach their
// target, comms the kernel opens are announced on iopub; comm_info lists them all. What a comm sends while it
// handles a frontend's message is that message's child, as the protocol asks.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Output } from './output.js';
import type { Header } from './wire/messages.js';

export interface Comm {
  readonly id: string;
  readonly target: string;
  send(data: object, buffers?: Buffer[]): void;
  close(data?: object): void;
}

export interface CommTarget {
  /** A comm was opened (by either side); `data` is the opener's data (the frontend's, or the kernel's own). */
  opened(comm: Comm, data: Record<string, unknown>, fromFrontend: boolean): void;
  message(comm: Comm, data: Record<string, unknown>, buffers: Buffer[]): void;
  closed(comm: Comm): void;
}

/** A comm a cell opened: its callbacks get what the frontend sends. */
export interface CellCommCallbacks {
  onMessage?(data: Record<string, unknown>, buffers: Buffer[]): void;
  onClose?(): void;
}

export class Comms {
  private readonly targets = new Map<string, CommTarget>();
  private readonly open = new Map<string, Comm>();
  /** The frontend message being handled, through whatever its handler awaits. */
  private readonly handling = new AsyncLocalStorage<Header>();

  constructor(private readonly output: Output) {}

  /** Comms cells opened on targets the kernel does not serve itself: their messages go to the cell's callbacks. */
  readonly cellComms = new Map<string, CellCommCallbacks>();

  register(target: string, handler: CommTarget): void {
    this.targets.set(target, handler);
  }

  private parent(openedBy?: Header): Header | undefined {
    return this.handling.getStore() ?? openedBy ?? this.output.parent();
  }

  private comm(id: string, target: string, openedBy?: Header): Comm {
    const comm: Comm = {
      id,
      target,
      // Comm data is any JSON object (the timing channel's are typed interfaces); on the wire it is a plain record.
      send: (data, buffers = []) => void this.output.publish('comm_msg', { comm_id: id, data: data as Record<string, unknown> }, this.parent(openedBy), buffers),
      close: (data = {}) => {
        if (!this.open.delete(id)) return;
        void this.output.publish('comm_close', { comm_id: id, data: data as Record<string, unknown> }, this.parent(openedBy));
        this.targets.get(target)?.closed(comm);
      },
    };
    return comm;
  }

  /** The kernel opens a comm to the frontend's target `target`. */
  openFromKernel(target: string, data: Record<string, unknown>): Comm {
    const comm = this.comm(randomUUID().replace(/-/g, ''), target);
    this.open.set(comm.id, comm);
    void this.output.publish('comm_open', { comm_id: comm.id, target_name: target, data });
    this.targets.get(target)?.opened(comm, data, false);
    return comm;
  }

  /** comm_open from the frontend: an unknown target is closed right away, as the protocol asks. */
  openedByFrontend(id: string, target: string, data: Record<string, unknown>, parent: Header): void {
    const handler = this.targets.get(target);
    const comm = this.comm(id, target, parent);
    if (!handler) {
      void this.output.publish('comm_close', { comm_id: id, data: { error: `no comm target '${target}' in the gcnlab kernel` } }, parent);
      return;
    }
    this.open.set(id, comm);
    this.handling.run(parent, () => handler.opened(comm, data, true));
  }

  /** comm_msg from the frontend (`header` is its own): what the comm sends while handling it is parented to it. */
  message(id: string, data: Record<string, unknown>, buffers: Buffer[], header: Header): void {
    this.handling.run(header, () => {
      this.cellComms.get(id)?.onMessage?.(data, buffers);
      const comm = this.open.get(id);
      if (comm) this.targets.get(comm.target)?.message(comm, data, buffers);
    });
  }

  closedByFrontend(id: string): void {
    this.cellComms.get(id)?.onClose?.();
    this.cellComms.delete(id);
    const comm = this.open.get(id);
    if (!comm) return;
    this.open.delete(id);
    this.targets.get(comm.target)?.closed(comm);
  }

  info(target?: string): Record<string, { target_name: string }> {
    const comms: Record<string, { target_name: string }> = {};
    for (const comm of this.open.values()) if (!target || comm.target === target) comms[comm.id] = { target_name: comm.target };
    return comms;
  }
}
