// Interrupting cells: which execution is running, which were interrupted, and the checks compiled-in cell code calls.
//
// Three ways a cell stops: synchronous top-level code is broken by SIGINT (vm's breakOnSigint); loops and resumed
// awaits in cell code call tick()/after() and throw once their execution was interrupted (the control thread
// raises a shared counter even while this thread is busy); library loops that publish runtime events (training
// epochs) notice it at their next event. The cell's own promise is raced against the interrupt, so an awaited
// promise that never settles ends the cell too. Variables defined before survive in every case.
// Library code (gcnlab's train) is not instrumented: it stops at its next checkpoint, the cell's abort signal being
// gcnlab's ambient one (withAbortSignal).
import { AsyncLocalStorage } from 'node:async_hooks';
import { INTERRUPTS } from './control.js';

export class KeyboardInterrupt extends Error {
  constructor() {
    super('the cell was interrupted');
    this.name = 'KeyboardInterrupt';
  }
}

export interface Execution {
  /** The interrupt count when it started: interrupts numbered up to this were meant for earlier cells. */
  startSeq: number;
  /** The request this execution answers: output it prints, even later, goes to that cell. */
  parent: unknown;
  /** Aborted once it was interrupted: its loops and resumed awaits throw from then on, however late they run. */
  abort: AbortController;
  interrupted: Promise<never>;
  /** Stops it; `reason` (default KeyboardInterrupt) is the error the cell ends with when it is not an interrupt. */
  interrupt(reason?: Error): void;
  /** Set once its reply is out: later output from code it started goes to the cell running then. */
  finished: boolean;
}

export class Interrupts {
  readonly context = new AsyncLocalStorage<Execution>();
  /**
   * Whether any execution was ever interrupted; until then loops need not look up theirs. Whether a given one was is
   * its abort signal's to say, so that lasts exactly as long as code that can still run in it (timers, pending awaits).
   */
  private anyInterrupted = false;
  private acknowledged = 0;
  private running: Execution | undefined;

  constructor(private readonly flags: Int32Array) {}

  start(parent: unknown): Execution {
    let reject!: (error: Error) => void;
    const interrupted = new Promise<never>((_, r) => (reject = r));
    interrupted.catch(() => undefined);
    const abort = new AbortController();
    // Interrupts that arrived while idle do not carry over to the next cell.
    this.acknowledged = Atomics.load(this.flags, INTERRUPTS);
    const execution: Execution = {
      startSeq: this.acknowledged,
      parent,
      abort,
      interrupted,
      finished: false,
      interrupt: (reason = new KeyboardInterrupt()) => {
        this.anyInterrupted = true;
        abort.abort(reason);
        reject(reason);
      },
    };
    this.running = execution;
    return execution;
  }

  finish(execution: Execution): void {
    execution.finished = true;
    if (this.running === execution) this.running = undefined;
  }

  /** The execution running now, if any. */
  get current(): Execution | undefined {
    return this.running;
  }

  /**
   * Interrupt `seq` was requested (control thread, SIGINT; default: the latest): stops the running execution,
   * unless that started after the request (a late message must not stop the next cell). True when it stopped one.
   */
  notice(seq = Atomics.load(this.flags, INTERRUPTS)): boolean {
    this.acknowledged = Math.max(this.acknowledged, Atomics.load(this.flags, INTERRUPTS));
    if (!this.running || seq <= this.running.startSeq) return false;
    this.running.interrupt();
    return true;
  }

  /** Called in every loop iteration of cell code. */
  readonly tick = (): void => {
    if (Atomics.load(this.flags, INTERRUPTS) !== this.acknowledged) this.notice();
    if (this.anyInterrupted && this.context.getStore()?.abort.signal.aborted) throw new KeyboardInterrupt();
  };

  /** Wraps every await in cell code: the value, unless the execution was interrupted while waiting. */
  readonly after = <T>(value: T): T => {
    this.tick();
    return value;
  };

  /**
   * Called from runtime-event listeners: a library loop whose awaits resolve at once never yields to the event loop,
   * so the control thread's message cannot reach us; the shared counter can. Noticing settles the cell's reply.
   * The loop itself stops only where it checks `interruptSignal` (terminating it through the inspector aborts
   * Node while async context tracking is on).
   */
  noticeFromLibrary(): void {
    if (Atomics.load(this.flags, INTERRUPTS) !== this.acknowledged) this.notice();
  }
}
