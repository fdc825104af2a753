// Threads for the SIMD kernels: a team runs one product split into parts, the calling thread taking the first part
// and helper threads (Node worker_threads, started once per process and shared by every team) the others, all on
// one shared WebAssembly.Memory. A job is handed over through a small shared control block and the helpers poll for
// it a few milliseconds before sleeping, so a product costs about a microsecond more than its share of the work:
// little enough to split even Cora's products (measured: 10^6 nodes, A @ H, 140 ms on one thread, 71 ms on two).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { kernelsModule, simdKernels, simdSupported, type SimdExports } from '../simd/index.js';
import { CALL, CONTROL, CONTROL_INTS, SPIN_MS, WORKER_SOURCE } from './worker-source.js';

/** One kernel call: the export's name and its arguments (byte addresses, counts, scalars). */
export type KernelCall = [kernel: string, ...args: number[]];

const STRIDE = CALL.MAX_ARGS + 2;
/** Calls one part may hold: a product's strips (at most a few) and room to spare. */
const MAX_CALLS = 8;

interface Helper {
  worker: Worker;
  slot: Float64Array;
  port: MessagePort;
}

/** The process's helper threads and their control block. */
class Helpers {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_INTS));
  private readonly list: Helper[] = [];
  private readonly module = kernelsModule(true);
  private readonly names = WebAssembly.Module.exports(this.module).filter((e) => e.kind === 'function').map((e) => e.name);
  private readonly index = new Map(this.names.map((name, i) => [name, i]));
  /** Set from handing out a job until every helper has reported it done. */
  private pending = false;

  get count(): number {
    return this.list.length;
  }

  /** Starts helpers until there are `count`; each instantiates the kernels on the team memories it is given. */
  grow(count: number): void {
    while (this.list.length < count) {
      const { port1, port2 } = new MessageChannel();
      const slot = new Float64Array(new SharedArrayBuffer(8 * (CALL.SLOT_HEADER + MAX_CALLS * STRIDE)));
      const generation = Atomics.load(this.control, CONTROL.GENERATION);
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { control: this.control, slot, port: port2, module: this.module, names: this.names, generation },
        transferList: [port2],
      });
      worker.unref();
      this.list.push({ worker, slot, port: port1 });
    }
  }

  /** Hands `memory` to every helper under `id`. */
  attach(id: number, memory: WebAssembly.Memory): void {
    for (const h of this.list) h.port.postMessage({ id, memory });
    this.run(id, this.list.map(() => [[CALL.ATTACH]]), () => {});
  }

  detach(id: number): void {
    this.run(id, this.list.map(() => [[CALL.DETACH]]), () => {});
  }

  /** Runs `parts[i]` on helper i (a kernel name or ATTACH/DETACH per call) while `mine` runs here; returns when all are done. */
  run(id: number, parts: (KernelCall | [number])[][], mine: () => void): void {
    const c = this.control;
    if (this.pending) {
      // The last job was broken off on this thread (a notebook cell interrupted mid-product): let the helpers end it,
      // and forget what it reported, before handing out the next.
      this.waitForAll();
      Atomics.store(c, CONTROL.FAILED, 0);
      for (const h of this.list) while (receiveMessageOnPort(h.port)) {}
    }
    this.list.forEach((h, i) => this.fill(h.slot, id, parts[i] ?? []));
    this.pending = true;
    Atomics.store(c, CONTROL.DONE, 0);
    Atomics.add(c, CONTROL.GENERATION, 1);
    Atomics.notify(c, CONTROL.GENERATION);
    let failure: unknown = null;
    try {
      mine();
    } catch (error) {
      failure = error;
    }
    this.waitForAll();
    this.pending = false;
    if (Atomics.load(c, CONTROL.FAILED)) {
      Atomics.store(c, CONTROL.FAILED, 0);
      const messages = this.list.map((h) => receiveMessageOnPort(h.port)?.message).filter(Boolean);
      throw new Error(`gcnlab wasm threads: a kernel failed on a helper thread: ${messages.join('; ')}`);
    }
    if (failure) throw failure;
  }

  private fill(slot: Float64Array, id: number, calls: (KernelCall | [number])[]): void {
    if (calls.length > MAX_CALLS) throw new Error(`gcnlab wasm threads: ${calls.length} calls in one part, at most ${MAX_CALLS}`);
    slot[0] = id;
    slot[1] = calls.length;
    calls.forEach((call, c) => {
      const at = CALL.SLOT_HEADER + c * STRIDE;
      const [kernel, ...args] = call;
      if (args.length > CALL.MAX_ARGS) throw new Error(`gcnlab wasm threads: ${kernel} takes ${args.length} arguments, at most ${CALL.MAX_ARGS}`);
      slot[at] = typeof kernel === 'number' ? kernel : this.index.get(kernel)!;
      slot[at + 1] = args.length;
      slot.set(args, at + 2);
    });
  }

  private waitForAll(): void {
    const c = this.control;
    const start = performance.now();
    for (let spins = 1; ; spins++) {
      const done = Atomics.load(c, CONTROL.DONE);
      if (done === this.list.length) return;
      if ((spins & 1023) === 0 && performance.now() - start > SPIN_MS) Atomics.wait(c, CONTROL.DONE, done, 50);
    }
  }
}

let helpers: Helpers | null = null;
let nextId = 1;

/** Why threads cannot run here (no SharedArrayBuffer, no worker_threads, no SIMD), or null where they can. */
export function threadsUnavailable(): string | null {
  if (!simdSupported()) return 'this engine has no WebAssembly SIMD';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available (a browser page needs cross-origin isolation)';
  if (typeof Worker !== 'function') return 'worker_threads is not available';
  return null;
}

/** A team of `threads` (the calling one included) working on one shared memory. */
export class KernelTeam {
  readonly kernels: SimdExports;
  private readonly id = nextId++;
  private released = false;

  /** `memory` must be shared (WebAssembly.Memory with shared: true); `threads` >= 2. */
  constructor(
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.kernels = simdKernels(memory)!;
    helpers ??= new Helpers();
    helpers.grow(threads - 1);
    helpers.attach(this.id, memory);
  }

  /** Runs the parts at once, parts[0] on this thread; parts beyond the team's size are an error. */
  run(parts: KernelCall[][]): void {
    if (this.released) throw new Error('gcnlab wasm threads: this team was released');
    if (parts.length > this.threads) throw new Error(`gcnlab wasm threads: ${parts.length} parts for a team of ${this.threads}`);
    const [mine, ...theirs] = parts;
    helpers!.run(this.id, theirs, () => {
      for (const [kernel, ...args] of mine ?? []) (this.kernels[kernel as keyof SimdExports] as (...a: number[]) => void)(...args);
    });
  }

  /** Lets the helpers drop their instance on this memory (so that it can be collected). */
  release(): void {
    if (this.released) return;
    this.released = true;
    helpers!.detach(this.id);
  }
}
