// Runs compiled cells: keeps their variables, loads the modules they import (CommonJS and ESM-only, from the
// notebook's folder or gcnlab's), and turns what happens into a value, an error, or an interrupt.
import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { types } from 'node:util';
import vm from 'node:vm';
import { SYNC_CODE, SyncCode, syncWord } from './control.js';
import type { Compiled } from './compiler/index.js';
import { HOOKS } from './compiler/instrument.js';
import { KeyboardInterrupt, type Execution, type Interrupts } from './interrupts.js';
import { missingPackageError } from './missing-package.js';


export type Outcome =
  | { status: 'ok'; hasValue: boolean; value?: unknown }
  | { status: 'error'; error: unknown; lines: number[]; cell: string }
  | { status: 'interrupted' };

const ESM_ONLY = new Set(['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

/** How long a cell's script waits for the SIGINT the control thread committed to sending it. */
const SIGNAL_WAIT_MS = 10_000;

export class Executor {
  /** Every variable cells defined, by name (tslab compiles top-level declarations to properties of this object). */
  readonly locals: Record<string, unknown> = {};
  private readonly exports: Record<string, unknown>;
  private readonly esm = new Map<string, unknown>();
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private readonly requireHere: NodeJS.Require;
  private readonly requireThere: NodeJS.Require;
  /** Makes the cell's abort signal ambient for library code it calls (gcnlab's withAbortSignal, once loaded). */
  ambientSignal: <T>(signal: AbortSignal, fn: () => T) => T = (_signal, fn) => fn();

  constructor(
    private readonly interrupts: Interrupts,
    private readonly flags: Int32Array,
    packageRoot: string,
    private readonly cwd = process.cwd(),
  ) {
    const locals = this.locals;
    // Named imports compile to defineProperty getters; storing values keeps them rebindable by later cells.
    this.exports = new Proxy(locals, {
      defineProperty: (_target, prop, attrs) => {
        if (prop !== '__esModule') locals[prop as string] = attrs.get ? attrs.get() : attrs.value;
        return true;
      },
    });
    this.requireHere = createRequire(join(cwd, '__cell__.js'));
    this.requireThere = createRequire(join(packageRoot, 'package.json'));
    const require = Object.assign((id: string) => this.require(id), { resolve: this.requireHere.resolve, cache: this.requireHere.cache });
    const { enterSyncCode, leaveSyncCode } = this;
    vm.runInThisContext('(x) => { globalThis.__gcnlab_cell__ = x; }')({ exports: this.exports, locals, require, enterSyncCode, leaveSyncCode });
    Object.defineProperty(globalThis, HOOKS, { value: { tick: interrupts.tick, after: interrupts.after }, configurable: true });
  }

  /** The SYNC_CODE word of the cell whose script is running, as it set it. */
  private syncRunning = 0;

  /**
   * The first thing a cell's script does: from here to leaveSyncCode the control thread may break it with SIGINT.
   * Only inside the script is breakOnSigint's watchdog listening; just around it, within runInThisContext, Node
   * leaves SIGINT at its default, and a signal there would end the kernel.
   */
  private readonly enterSyncCode = (): void => {
    this.syncRunning = syncWord(this.interrupts.context.getStore()?.startSeq ?? 0, SyncCode.running);
    Atomics.store(this.flags, SYNC_CODE, this.syncRunning);
    // An interrupt requested before the store got no signal (the control thread saw no script): it is noticed here.
    this.interrupts.tick();
  };

  /**
   * The last thing a cell's script does (in its finally). A signal the control thread already committed to is awaited
   * here, where the watchdog turns it into ERR_SCRIPT_EXECUTION_INTERRUPTED (ending this wait). Were the script to end
   * first, Node would carry the signal over: its watchdog thread, not yet woken for it, breaks the next breakOnSigint
   * script (a cell nobody interrupted), or, once the watchdog has stopped, the default SIGINT ends the kernel.
   */
  private readonly leaveSyncCode = (): void => {
    const seen = Atomics.compareExchange(this.flags, SYNC_CODE, this.syncRunning, SyncCode.outside);
    if (seen !== this.syncRunning) {
      // Signalled: the control thread moved the word on (the only other value it can hold here).
      // Bounded, so that the kernel cannot hang. It times out only where something else took the signal from the
      // watchdog (a cell's own process.on('SIGINT') does, for the rest of its script); the signal may then reach the
      // next cell, which is the lesser harm.
      Atomics.wait(this.flags, SYNC_CODE, seen, SIGNAL_WAIT_MS);
    }
  };

  /** Modules cells import: side outputs (local .ts files), then ESM loaded ahead, then require from here or gcnlab's root. */
  private require(id: string): unknown {
    const local = this.requireSide(id, this.cwd);
    if (local) return local.exports;
    if (this.esm.has(id)) return this.esm.get(id);
    return interop(this.requirePlain(id));
  }

  private requirePlain(id: string): unknown {
    if (id.startsWith('.') || isAbsolute(id)) return this.requireHere(id);
    // A package no node_modules above the cells' folder holds (gcnlab itself, in a kernel installed globally) is
    // required from gcnlab's root first: requiring it here would throw MODULE_NOT_FOUND and catch it, and the
    // debugger's Raised Exceptions would stop on that at every import of it. The other folder comes second (a package
    // that requires itself by its own name resolves from its own folder).
    const order = this.installedHere(id) ? [this.requireHere, this.requireThere] : [this.requireThere, this.requireHere];
    let first: unknown;
    for (const from of order) {
      try {
        return from(id);
      } catch (error) {
        if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
        // The first folder's error says what is missing: the package, or one of its own dependencies.
        first ??= error;
      }
    }
    throw missingPackageError(id, this.cwd, first);
  }

  /** Whether a node_modules folder that require searches from the cells' folder holds bare `id`'s package (a built-in: yes). */
  private installedHere(id: string): boolean {
    const folders = this.requireHere.resolve.paths(id);
    if (folders === null) return true;
    const name = id.split('/').slice(0, id.startsWith('@') ? 2 : 1).join('/');
    return folders.some((folder) => existsSync(join(folder, name)));
  }

    private requireSide(id: string, dir: string): Module | undefined {
    if (!id.startsWith('.')) return undefined;
    let filename = resolve(dir, id);
    if (extname(filename) === '') filename += '.js';
    const cached = this.sideModules.get(filename);
    if (cached) return cached;
    const code = this.sideOutputs.get(filename);
    if (code === undefined) return undefined;
    const mod = new Module(filename);
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(filename));
    mod.require = Object.assign((sub: string) => this.requireSide(sub, dirname(filename))?.exports ?? this.require(sub), this.requireHere);
    (mod as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
    this.sideModules.set(filename, mod);
    return mod;
  }

  /** ESM that require() cannot load (top-level await, import-only exports) is imported before the cell runs. */
  private async preload(code: string): Promise<void> {
    for (const [, id] of code.matchAll(/require\("([^"]+)"\)/g)) {
      if (this.esm.has(id) || this.sideOutputs.has(resolve(this.cwd, id)) || this.sideOutputs.has(resolve(this.cwd, id) + '.js')) continue;
      try {
        this.requirePlain(id);
      } catch (error) {
        if (!ESM_ONLY.has((error as { code?: string }).code ?? '')) continue;
        this.esm.set(id, interop(await this.importFrom(id)));
      }
    }
  }

  private async importFrom(id: string): Promise<unknown> {
    const load = (referrer: string) =>
      new vm.Script(`import(${JSON.stringify(id)})`, {
        filename: referrer,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      }).runInThisContext() as Promise<unknown>;
    try {
      return await load(join(this.cwd, '__cell__.js'));
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || id.startsWith('.')) throw error;
      let there: string;
      try {
        there = this.requireThere.resolve(id);
      } catch (missing) {
        throw missingPackageError(id, this.cwd, missing);
      }
      return load(there);
    }
  }

  async run(compiled: Compiled, cell: string, execution: Execution): Promise<Outcome> {
    for (const { path, data } of compiled.sideOutputs) {
      this.sideModules.delete(path);
      this.sideOutputs.set(path, data);
    }
    if (!compiled.code) return { status: 'ok', hasValue: false };
    const fail = (error: unknown): Outcome => {
      if ((error as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
        // Ended by a signal (ours, or one from outside that no interrupt message follows): stop what it started too.
        execution.interrupt();
        return { status: 'interrupted' };
      }
      return error instanceof KeyboardInterrupt ? { status: 'interrupted' } : { status: 'error', error, lines: compiled.lines, cell };
    };
    try {
      await Promise.race([this.preload(compiled.code), execution.interrupted]);
    } catch (error) {
      return fail(error);
    }
    // The prefix stays on the first line so line numbers of the compiled code are the script's. The script's value is
    // the function's (a try statement completes with its block's value).
    const wrapped =
      'try { __gcnlab_cell__.enterSyncCode(); ' +
      (compiled.hasToplevelAwait ? '(async function (exports, require) { ' : '(function (exports, require) { ') +
      compiled.code +
      '\n})(__gcnlab_cell__.exports, __gcnlab_cell__.require) } finally { __gcnlab_cell__.leaveSyncCode() }';
    let promise: unknown;
    const sigintBefore = process.rawListeners('SIGINT');
    try {
      promise = this.interrupts.context.run(execution, () =>
        this.ambientSignal(execution.abort.signal, () =>
          vm.runInThisContext(wrapped, {
            filename: cell,
            breakOnSigint: true,
            importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
          }),
        ),
      );
    } catch (error) {
      return fail(error);
    } finally {
      // A script the signal ended skipped its own finally; the signal that ended it is spent.
      Atomics.store(this.flags, SYNC_CODE, SyncCode.outside);
      rearmSigintIfChanged(sigintBefore);
    }
    if (compiled.hasToplevelAwait) {
      try {
        await Promise.race([promise, execution.interrupted]);
      } catch (error) {
        return fail(error);
      }
    }
    if (compiled.lastExpressionVar && compiled.lastExpressionVar in this.locals) {
      const value = this.locals[compiled.lastExpressionVar];
      delete this.locals[compiled.lastExpressionVar];
      return { status: 'ok', hasValue: value !== undefined, value };
    }
    return { status: 'ok', hasValue: false };
  }
}

/**
 * A SIGINT listener a cell adds inside its breakOnSigint script does not take effect: once the script's watchdog has
 * stopped, Node's default SIGINT action (end the process) is back, and the next SIGINT, even to an idle kernel, ends
 * it (protocol test). Removing every listener and adding them again makes Node listen for SIGINT anew.
 */
function rearmSigintIfChanged(before: Function[]): void {
  const after = process.rawListeners('SIGINT');
  if (after.length === before.length && after.every((listener, i) => listener === before[i])) return;
  process.removeAllListeners('SIGINT');
  for (const listener of after) process.on('SIGINT', listener as (signal: NodeJS.Signals) => void);
}

/** An ES module namespace as TypeScript's CommonJS output expects it (default import = the default export). */
function interop(value: unknown): unknown {
  if (!types.isModuleNamespaceObject(value)) return value;
  const ns = value as Record<string, unknown>;
  const out: Record<string, unknown> = { __esModule: true };
  for (const key of Object.keys(ns)) Object.defineProperty(out, key, { enumerable: true, get: () => ns[key] });
  return out;
}
