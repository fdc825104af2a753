// The compiler, seen from the main thread: a worker that type-checks and compiles cells, answering in order.
import { Worker } from 'node:worker_threads';
import type { CompileResult, CompilerRequest, CompilerResponse, CompleteResult, InspectResult, IsCompleteResult } from './protocol.js';

export type { CompileResult, Diagnostic, CompleteResult, InspectResult, IsCompleteResult } from './protocol.js';

/** A compilation that succeeded: what the executor runs. */
export type Compiled = Extract<CompileResult, { ok: true }>;

/**
 * Each compile allocates a whole TypeScript program. With V8's defaults for a worker (young generation sized for
 * throughput, old generation allowed to grow to the process's heap limit before collecting hard), the resident set
 * grew by over 100 MiB per 1000 trivial cells; with these limits it stays near 30 MiB (`npm run bench:kernel`).
 * The old generation's limit is far above what the compiler holds live; should a cell's types outgrow it anyway, the
 * thread is started again (see restart).
 */
const COMPILER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 192 };

type Request = CompilerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class Compiler {
  private worker!: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private ready!: Promise<void>;
  /** The declarations committed last: a restarted compiler thread starts from them, so no variable is lost. */
  private declOutput = '';

  constructor(
    private readonly packageRoot: string,
    private readonly packageName: string,
  ) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(new URL('./compile-thread.js', import.meta.url), {
      workerData: { packageRoot: this.packageRoot, packageName: this.packageName },
      resourceLimits: COMPILER_LIMITS,
    });
    this.worker = worker;
    worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    worker.once('error', (error) => this.restart(error));
    worker.on('message', (response: CompilerResponse) => {
      const p = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (response.error) p?.reject(new Error(`compiler: ${response.error}`));
      else p?.resolve(response.result);
    });
  }

  /**
   * The compiler thread died (out of memory, say): what it was asked fails with that reason, and a new thread takes
   * over with the declarations committed so far. A thread that fails while starting is not started again: its error
   * is every request's.
   */
  private restart(error: Error): void {
    const starting = this.pending.has(0);
    const outOfMemory = /memory limit|out of memory/i.test(error.message);
    const next = starting
      ? 'it could not start'
      : outOfMemory
        ? `it was restarted, but this cell would stop it again: it is too large to type-check in the compiler's ${COMPILER_LIMITS.maxOldGenerationSizeMb} MiB (a long literal of data?). Split it, or read the data from a file (fs.readFileSync, then JSON.parse)`
        : 'it was restarted, run the cell again';
    const reason = new Error(`the TypeScript compiler thread stopped (${error.message}); ${next}`);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    if (starting) {
      this.ready = Promise.reject(reason);
      this.ready.catch(() => undefined);
      return;
    }
    this.start();
    if (this.declOutput) void this.request({ type: 'commit', declOutput: this.declOutput }).catch(() => undefined);
  }

  private async request<T>(request: Request): Promise<T> {
    // A compiler thread that failed to start answers nothing: its start-up error is every request's.
    await this.ready;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  compile(src: string): Promise<CompileResult> {
    return this.request({ type: 'compile', src });
  }
  /** Makes the declarations of a cell that ran visible to the next ones. */
  commit(declOutput: string): Promise<void> {
    this.declOutput = declOutput;
    return this.request({ type: 'commit', declOutput });
  }
  complete(src: string, position: number): Promise<CompleteResult> {
    return this.request({ type: 'complete', src, position });
  }
  inspect(src: string, position: number, detail: number): Promise<InspectResult> {
    return this.request({ type: 'inspect', src, position, detail });
  }
  isComplete(src: string): Promise<IsCompleteResult> {
    return this.request({ type: 'is-complete', src });
  }
}
