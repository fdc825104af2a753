// The compiler, seen from the main thread: a worker that type-checks and compiles cells, answering in order.
import { Worker } from 'node:worker_threads';
import type { CompileResult, CompilerRequest, CompilerResponse, CompleteResult, InspectResult, IsCompleteResult } from './protocol.js';

export type { CompileResult, Diagnostic, CompleteResult, InspectResult, IsCompleteResult } from './protocol.js';

/** A compilation that succeeded: what the executor runs. */
export type Compiled = Extract<CompileResult, { ok: true }>;

/**
 * Each compile allocates a whole TypeScript program; with V8's default young generation for a worker, the pages that
 * survive minor collections grow the resident set by about 100 MiB over 1000 cells. A small young generation keeps it
 * near 25 MiB (`npm run bench:kernel`) at a cost in collections that compiles do not notice.
 */
const COMPILER_YOUNG_GENERATION_MB = 8;

type Request = CompilerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class Compiler {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private readonly ready: Promise<void>;

  constructor(packageRoot: string, packageName: string) {
    this.worker = new Worker(new URL('./compile-thread.js', import.meta.url), { workerData: { packageRoot, packageName }, resourceLimits: { maxYoungGenerationSizeMb: COMPILER_YOUNG_GENERATION_MB } });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
      this.worker.once('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
    });
    this.worker.on('message', (response: CompilerResponse) => {
      const p = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (response.error) p?.reject(new Error(`compiler: ${response.error}`));
      else p?.resolve(response.result);
    });
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
