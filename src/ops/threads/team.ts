// Threads for the SIMD kernels: a team runs one product split into parts, the calling thread taking the first part
// and helper threads (Node worker_threads, shared by the teams alive in this process) the others, all on one shared
// WebAssembly.Memory. A job is handed to each helper through a signal word of its own and the helpers poll for it a
// few milliseconds before sleeping, so a product costs about a microsecond more than its share of the work. Data
// one thread wrote and another reads moves between the cores' caches, though, which costs more than it saves on a
// small graph: host epochs share out only products past a size (epochs/host/products.ts). Measured on the 2-core build machine:
// 10^6 nodes, A @ H, 140 ms on one thread, 71 ms on two.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ThreadsError } from '../../errors.js';
import { simdModule, simdOn, simdSupported, type SimdExports } from '../simd/index.js';
import { CALL, CONTROL, SIGNAL, SPIN_MS, WORKER_SOURCE } from './worker-source.js';

/** One call of a SIMD export: its name and its arguments (byte addresses, counts, scalars). */
export type SimdCall = [name: string, ...args: number[]];

/** Runs `calls` on this thread, in order. */
export function runCalls(kernels: SimdExports, calls: readonly SimdCall[]): void {
  for (const [kernel, ...args] of calls) (kernels[kernel as keyof SimdExports] as (...a: number[]) => void)(...args);
}
type SlotCall = SimdCall | [typeof CALL.ATTACH | typeof CALL.DETACH];

const STRIDE = CALL.MAX_ARGS + 2;
/** Calls a part hands over at once; a part with more (a product of many strips) runs in rounds. */
const MAX_CALLS = 8;
/** How long a new helper may take to start before threads are given up on. */
const START_TIMEOUT_MS = 20_000;

interface Helper {
  worker: Worker;
  signal: Int32Array;
  slot: Float64Array;
  port: MessagePort;
}

/** The process's helper threads while any team is alive. */
class Helpers {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly list: Helper[] = [];
  private readonly module = simdModule(true);
  private readonly names = WebAssembly.Module.exports(this.module).filter((e) => e.kind === 'function').map((e) => e.name);
  private readonly index = new Map(this.names.map((name, i) => [name, i]));
  /** Helpers the job handed out last must report done; 0 once they have. */
  private pending = 0;

  /** Starts helpers until there are `count`, all at once, then waits for each; one that cannot start is a ThreadsError. */
  grow(count: number): void {
    this.settle();
    const started: Helper[] = [];
    while (this.list.length + started.length < count) {
      const { port1, port2 } = new MessageChannel();
      const signal = new Int32Array(new SharedArrayBuffer(8));
      const slot = new Float64Array(new SharedArrayBuffer(8 * (CALL.SLOT_HEADER + MAX_CALLS * STRIDE)));
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { control: this.control, signal, slot, port: port2, module: this.module, names: this.names },
          transferList: [port2],
        });
      } catch (error) {
        for (const s of started) void s.worker.terminate();
        throw new ThreadsError(`a helper thread could not be created (${(error as Error).message})`);
      }
      worker.unref();
      started.push({ worker, signal, slot, port: port1 });
    }
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (const h of started) {
      Atomics.wait(h.signal, SIGNAL.ALIVE, 0, Math.max(0, deadline - performance.now()));
      if (Atomics.load(h.signal, SIGNAL.ALIVE) === 0) {
        for (const s of started) void s.worker.terminate();
        throw new ThreadsError(`a helper thread did not start within ${START_TIMEOUT_MS / 1000} s`);
      }
    }
    this.list.push(...started);
  }

  /** Hands `memory` to the first `count` helpers under `id`. */
  attach(id: number, memory: WebAssembly.Memory, count: number): void {
    const helpers = this.list.slice(0, count);
    for (const h of helpers) h.port.postMessage({ id, memory });
    this.run(id, helpers.map(() => [[CALL.ATTACH]]), () => {});
  }

  detach(id: number, count: number): void {
    this.run(id, this.list.slice(0, count).map(() => [[CALL.DETACH]]), () => {});
  }

  /** Runs `parts[i]` on helper i while `mine` runs here; returns when all are done, or throws what failed. */
  run(id: number, parts: SlotCall[][], mine: () => void): void {
    this.settle();
    const c = this.control;
    Atomics.store(c, CONTROL.DONE, 0);
    parts.forEach((calls, i) => this.fill(this.list[i].slot, id, calls));
    this.pending = parts.length;
    for (const h of this.list.slice(0, parts.length)) {
      Atomics.add(h.signal, SIGNAL.GENERATION, 1);
      Atomics.notify(h.signal, SIGNAL.GENERATION);
    }
    let failure: unknown = null;
    try {
      mine();
    } catch (error) {
      failure = error;
    }
    this.waitForPending();
    if (Atomics.exchange(c, CONTROL.FAILED, 0)) {
      const messages = this.list.map((h) => receiveMessageOnPort(h.port)?.message).filter(Boolean);
      throw new ThreadsError(`a SIMD call failed on a helper thread: ${messages.join('; ')}`);
    }
    if (failure) throw failure;
  }

  /** Stops every helper (none is running a job: jobs end before run() returns). */
  stop(): void {
    this.settle();
    for (const h of this.list) void h.worker.terminate();
    this.list.length = 0;
  }

  /**
   * Waits out a job that was broken off on this thread (a notebook cell interrupted mid-product: its helpers still
   * run their parts) and forgets what it reported, so that the next job starts clean.
   */
  private settle(): void {
    if (this.pending === 0) return;
    this.waitForPending();
    Atomics.store(this.control, CONTROL.FAILED, 0);
    for (const h of this.list) while (receiveMessageOnPort(h.port)) {}
  }

  private fill(slot: Float64Array, id: number, calls: SlotCall[]): void {
    slot[0] = id;
    slot[1] = calls.length;
    calls.forEach((call, c) => {
      const at = CALL.SLOT_HEADER + c * STRIDE;
      const [kernel, ...args] = call;
      slot[at] = typeof kernel === 'number' ? kernel : this.index.get(kernel)!;
      slot[at + 1] = args.length;
      slot.set(args, at + 2);
    });
  }

  private waitForPending(): void {
    const c = this.control;
    const start = performance.now();
    for (let spins = 1; ; spins++) {
      const done = Atomics.load(c, CONTROL.DONE);
      if (done >= this.pending) break;
      if ((spins & 1023) === 0 && performance.now() - start > SPIN_MS) Atomics.wait(c, CONTROL.DONE, done, 50);
    }
    this.pending = 0;
  }
}

let helpers: Helpers | null = null;
let teamsAlive = 0;
let nextId = 1;

/** Why threads cannot run here (no SharedArrayBuffer, no SIMD), or null where they can. */
export function threadsUnavailable(): string | null {
  if (!simdSupported()) return 'this engine has no WebAssembly SIMD';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available';
  return null;
}

/** A team of `threads` (the calling one included) working on one shared memory. */
export class ThreadTeam {
  readonly kernels: SimdExports;
  /** Jobs run on more than one thread so far. */
  jobs = 0;
  private readonly id = nextId++;
  private released = false;

  /** `memory` must be shared (WebAssembly.Memory with shared: true); `threads` >= 2. Throws ThreadsError. */
  constructor(
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.kernels = simdOn(memory)!;
    helpers ??= new Helpers();
    teamsAlive++;
    try {
      helpers.grow(threads - 1);
      helpers.attach(this.id, memory, threads - 1);
    } catch (error) {
      this.release();
      throw error;
    }
  }

  /**
   * Runs the parts at once, parts[0] on this thread, and returns when all are done. A part's calls must be
   * independent of one another (a product's strips): past MAX_CALLS they run in rounds.
   */
  run(parts: SimdCall[][]): void {
    if (this.released) throw new ThreadsError('this team of threads was released (its host epochs were disposed)');
    if (parts.length > this.threads) throw new ThreadsError(`${parts.length} parts for a team of ${this.threads} threads`);
    const rounds = Math.max(...parts.map((p) => Math.ceil(p.length / MAX_CALLS)));
    for (let r = 0; r < rounds; r++) {
      const [mine, ...theirs] = rounds === 1 ? parts : parts.map((p) => p.slice(r * MAX_CALLS, (r + 1) * MAX_CALLS));
      helpers!.run(this.id, theirs, () => runCalls(this.kernels, mine));
      this.jobs++;
    }
  }

  /** Lets the helpers drop their instance on this memory; the last team alive stops the helpers. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (--teamsAlive > 0) return helpers!.detach(this.id, this.threads - 1);
    helpers?.stop();
    helpers = null;
  }
}
