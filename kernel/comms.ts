// Comms: both directions. Targets register here; comms the frontend opens reach their target, comms the kernel
// opens are announced on iopub; comm_info lists them all.
import { randomUUID } from 'node:crypto';
import type { Output } from './output.js';
import type { Header } from './wire/messages.js';

export interface Comm {
  readonly id: string;
  readonly target: string;
  send(data: object): void;
  close(data?: object): void;
}

export interface CommTarget {
  /** A comm was opened (by either side); `data` is the opener's data (the frontend's, or the kernel's own). */
  opened(comm: Comm, data: Record<string, unknown>, fromFrontend: boolean): void;
  message(comm: Comm, data: Record<string, unknown>): void;
  closed(comm: Comm): void;
}

export class Comms {
  private readonly targets = new Map<string, CommTarget>();
  private readonly open = new Map<string, Comm>();

  constructor(private readonly output: Output) {}

  /** Comms cells opened on targets the kernel does not serve itself: their messages go to the cell's callbacks. */
  readonly cellComms = new Map<string, { onMessage?(data: Record<string, unknown>): void; onClose?(): void }>();

  register(target: string, handler: CommTarget): void {
    this.targets.set(target, handler);
  }

  private comm(id: string, target: string, parent?: Header): Comm {
    const comm: Comm = {
      id,
      target,
      send: (data) => void this.output.publish('comm_msg', { comm_id: id, data }, parent ?? this.output.parent()),
      close: (data = {}) => {
        if (!this.open.delete(id)) return;
        void this.output.publish('comm_close', { comm_id: id, data }, parent ?? this.output.parent());
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
    handler.opened(comm, data, true);
  }

  message(id: string, data: Record<string, unknown>): void {
    this.cellComms.get(id)?.onMessage?.(data);
    const comm = this.open.get(id);
    if (comm) this.targets.get(comm.target)?.message(comm, data);
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
