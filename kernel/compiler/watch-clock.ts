// The timers of TypeScript's watch program. tslab gives it a clock that holds one timer and runs it only inside a
// compile; a watched folder that changes between cells (`npm install` in the notebook's folder) starts a second
// timer there, and the next compile then fails with "Unexpected pending rebuildTimer" for good. Timers started
// between compiles run on Node's clock instead, and any still pending run just before the next compile, so it sees
// the package just installed.
type Callback = (...args: unknown[]) => void;

interface TimerHost {
  setTimeout?(callback: Callback, ms: number, ...args: unknown[]): unknown;
  clearTimeout?(id: unknown): void;
}

export class WatchClock {
  private compiling = false;
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Routes the host's timers: tslab's clock inside a compile, Node's between compiles. */
  attach(host: TimerHost): void {
    const own = { set: host.setTimeout?.bind(host), clear: host.clearTimeout?.bind(host) };
    if (!own.set || !own.clear) return;
    host.setTimeout = (callback, ms, ...args) => {
      if (this.compiling) return own.set!(callback, ms, ...args);
      const run = () => {
        this.pending.delete(timer);
        callback(...args);
      };
      const timer = setTimeout(run, ms);
      this.pending.set(timer, run);
      return timer;
    };
    host.clearTimeout = (id) => {
      const run = this.pending.get(id as NodeJS.Timeout);
      if (!run) return own.clear!(id);
      clearTimeout(id as NodeJS.Timeout);
      this.pending.delete(id as NodeJS.Timeout);
    };
  }

  /** Runs `compile` on tslab's clock, after the timers still pending on Node's (each may start another). */
  around<T>(compile: () => T): T {
    for (let round = 0; this.pending.size > 0 && round < 16; round++) {
      for (const [timer, run] of [...this.pending]) {
        clearTimeout(timer);
        run();
      }
    }
    this.compiling = true;
    try {
      return compile();
    } finally {
      this.compiling = false;
    }
  }
}
