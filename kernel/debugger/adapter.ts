// The Debug Adapter Protocol (with Jupyter's additions) on Node's inspector: the control thread's session connected to
// the main thread translates each DAP request to the Chrome DevTools Protocol, in the cells' TypeScript lines.
import inspector from 'node:inspector';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { DEBUG_CHANNEL, type DebugChannelMessage } from './channel.js';
import { CELL_PREFIX, CELL_SUFFIX, HASH_SEED, cellPath } from './naming.js';
import { SMALL_TENSOR, TENSOR_CLASSES, TENSOR_SUMMARY } from './tensors.js';
import { NOTEBOOK_STORE, spelledIn, throughNotebook } from './notebook-names.js';
import { withoutTypes } from './typescript-expression.js';

export interface DapRequest {
  seq: number;
  type: 'request';
  command: string;
  arguments?: Record<string, any>;
}
type Body = Record<string, unknown>;
type Event = { event: string; body: Body };

const THREAD_ID = 1;
/** A CDP call that the main thread does not answer in this time fails instead of stalling the control channel. */
const CDP_TIMEOUT_MS = 5000;
/** Distinct cells whose line maps are kept (a breakpoint in an older one is unverified until it runs again). */
const MAX_CELLS = 10_000;
/** Steps taken at most to move one TypeScript line (one line may compile to many JavaScript statements). */
const MAX_SUBSTEPS = 64;
/** How long a cell's first run waits, stopped before its first line, for the main thread's map of its lines. */
const CELL_LINES_WAIT_MS = 10_000;

/** The cells a Pause outside every cell waits in (see pauseTraps): the latest ones, where the awaiting cell is. */
const PAUSE_TRAP_CELLS = 100;
/** Code the user did not write: stepping skips it. */
const BLACKBOX = ['^node:', '/node_modules/', '/kernel/dist/', '/dist/kernel/', '/kernel/[a-z-]+\\.ts$'];

/** A request that failed for a reason the user can act on: its message becomes the DAP response's. */
class DapError extends Error {}

interface Paused {
  hitBreakpoints?: string[];
  callFrames: { callFrameId: string; functionName: string; location: { scriptId: string; lineNumber: number; columnNumber: number }; scopeChain: { type: string; name?: string; object: { objectId?: string } }[]; url: string }[];
  reason: string;
  data?: { url?: string };
}

export class DebugAdapter {
  private started = false;
  private session?: inspector.Session;
  private readonly channel = new BroadcastChannel(DEBUG_CHANNEL);
  /** Line maps of the cells compiled since the kernel started (the debugger on or off), by path. */
  private readonly cells = new Map<string, number[]>();
  private readonly cellWaiters = new Map<string, () => void>();
  private readonly scriptUrls = new Map<string, string>();
  /** DAP breakpoints as the front end set them, by source path, and the CDP ids they became. */
  private readonly breakpoints = new Map<string, { line: number }[]>();
  private readonly cdpBreakpoints = new Map<string, string[]>();
  private paused?: Paused;
  /** Set while some breakpoint is in a cell not yet compiled: every script then pauses before it runs (see onPaused). */
  private beforeScripts?: string;
  /** The resume after a pause the user never saw (before a script runs) is no `continued` event. */
  private unseenResume = false;
  /**
   * A step the user asked for, until it stops on a new cell line: its first resume is shown as `continued` (the front
   * end clears the stale stack), the resumes of its hidden sub-steps are not.
   */
  private stepping?: { command: string; line: number; depth: number; count: number; resumed: boolean };
  /** A pause the user asked for (its stop says 'pause'). */
  private pausing = false;
  /**
   * Breakpoints on every line of the latest cells, while a Pause waits for the cells' code to run: a Pause while a
   * cell awaits (or none runs) would stop in whatever JavaScript runs next, Node's timers or the kernel's messages.
   */
  private pauseTraps: string[] = [];
  /** Set while a Pause waits in the cells (pauseTraps), cells yet to run included. */
  private pauseWaits = false;
  /** Traps forgotten (forgetPause) and not yet removed: a stop on one of them only is passed over. */
  private readonly droppedTraps = new Set<string>();
  /** variablesReference -> CDP objectId, valid until the next resume (or, for inspectVariables, the next request). */
  private refs = new Map<number, string>();
  /** References to a cell's top-level local scope, whose wrapper parameters are left out. */
  private wrapperScopes = new Set<number>();
  private nextRef = 1;

  constructor(private readonly emit: (event: Event) => void) {
    (this.channel as unknown as { unref(): void }).unref();
    this.channel.onmessage = (event) => {
      const message = (event as { data: DebugChannelMessage }).data;
      // The newest last; a kernel that ran more distinct cells than it keeps forgets the oldest.
      this.cells.delete(message.path);
      if (this.cells.size >= MAX_CELLS) this.cells.delete(this.cells.keys().next().value!);
      this.cells.set(message.path, message.lines);
      this.cellWaiters.get(message.path)?.();
    };
  }

  /** One DAP request -> its response. */
  async handle(request: DapRequest): Promise<Body> {
    const respond = (body: Body = {}, success = true, message?: string) => ({
      seq: request.seq,
      type: 'response',
      request_seq: request.seq,
      success,
      command: request.command,
      ...(message ? { message } : {}),
      body,
    });
    const handler = Object.hasOwn(COMMANDS, request.command) ? COMMANDS[request.command] : undefined;
    if (!handler) return respond({}, false, `'${request.command}' is not supported by the gcnlab debugger`);
    // 'modules' too: JupyterLab asks for it when a notebook opens, before initialize (ipykernel answers it statically).
    if (!this.started && !['initialize', 'debugInfo', 'dumpCell', 'source', 'disconnect', 'modules'].includes(request.command)) {
      return respond({}, false, `the debugger is not started: send 'initialize' before '${request.command}'`);
    }
    try {
      return respond(await handler.call(this, request.arguments ?? {}));
    } catch (error) {
      return respond({}, false, (error as Error).message);
    }
  }

  /** An interrupt or shutdown while paused: the main thread must run again to see it. */
  async release(): Promise<void> {
    if (this.paused) await this.post('Debugger.resume').catch(() => undefined);
  }

  /**
   * Before an interrupt or shutdown reaches the main thread: a Pause still waiting for the cells' code (pauseTraps)
   * goes with the cell it was meant for, and is not sprung as the interrupted cell unwinds or on the next cell. Its
   * breakpoints are removed in the background (a main thread stuck in native code answers no CDP call, and the
   * interrupt must not wait on them); one hit before its removal is passed over (see onPaused).
   */
  forgetPause(): void {
    this.pausing = false;
    if (this.pauseWaits) void this.dropPauseTraps();
  }

  /** Removes pauseTraps (their ids in droppedTraps until each is gone); returns their ids. */
  private async dropPauseTraps(): Promise<string[]> {
    const traps = this.pauseTraps;
    this.pauseTraps = [];
    this.pauseWaits = false;
    for (const id of traps) this.droppedTraps.add(id);
    for (const id of traps) {
      await this.post('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
      this.droppedTraps.delete(id);
    }
    await this.watchScripts().catch(() => undefined);
    return traps;
  }

  private post<T = any>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DapError(`${method}: the main thread did not answer within ${CDP_TIMEOUT_MS} ms`)), CDP_TIMEOUT_MS);
      this.session!.post(method, params, (error, result) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(result as T);
      });
    });
  }

  // ----- start and stop

  async initialize(): Promise<Body> {
    if (!this.started) {
      const session = new inspector.Session();
      session.connectToMainThread();
      this.session = session;
      session.on('Debugger.scriptParsed', ({ params }) => this.scriptUrls.set(params.scriptId, params.url));
      session.on('Debugger.paused', ({ params }) => void this.onPaused(params as Paused));
      session.on('Debugger.resumed', () => {
        this.paused = undefined;
        this.refs.clear();
        this.wrapperScopes.clear();
        if (this.unseenResume) this.unseenResume = false;
        else if (this.stepping?.resumed) return;
        else {
          if (this.stepping) this.stepping.resumed = true;
          this.emit({ event: 'continued', body: { threadId: THREAD_ID, allThreadsContinued: true } });
        }
      });
      await this.post('Debugger.enable');
      await this.post('Debugger.setBlackboxPatterns', { patterns: BLACKBOX });
      this.started = true;
      mkdirSync(CELL_PREFIX, { recursive: true });
    }
    return {
      supportsConfigurationDoneRequest: true,
      supportsEvaluateForHovers: true,
      // No 'uncaught' filter: the kernel itself catches what a cell throws, so V8 sees no exception as uncaught.
      exceptionBreakpointFilters: [{ filter: 'raised', label: 'Raised Exceptions', default: false }],
    };
  }

  async disconnect(): Promise<Body> {
    if (this.started) {
      await this.post('Debugger.disable').catch(() => undefined);
      this.session!.disconnect();
      this.session = undefined;
    }
    this.started = false;
    this.paused = undefined;
    this.stepping = undefined;
    this.pausing = false;
    this.pauseWaits = false;
    this.pauseTraps = [];
    this.breakpoints.clear();
    this.cdpBreakpoints.clear();
    this.beforeScripts = undefined;
    this.refs.clear();
    return {};
  }

  debugInfo(): Body {
    return {
      isStarted: this.started,
      hashMethod: 'Murmur2',
      hashSeed: HASH_SEED,
      tmpFilePrefix: CELL_PREFIX,
      tmpFileSuffix: CELL_SUFFIX,
      breakpoints: [...this.breakpoints].map(([source, breakpoints]) => ({ source, breakpoints })),
      stoppedThreads: this.paused ? [THREAD_ID] : [],
      richRendering: false,
      exceptionPaths: ['JavaScript Exceptions'],
    };
  }

  dumpCell(args: Record<string, any>): Body {
    const code = args.code;
    if (typeof code !== 'string') throw new DapError(`dumpCell: arguments.code must be the cell's text, got ${typeof code}`);
    const sourcePath = cellPath(code);
    mkdirSync(CELL_PREFIX, { recursive: true });
    writeFileSync(sourcePath, code);
    return { sourcePath };
  }

  source(args: Record<string, any>): Body {
    const path = args.source?.path;
    try {
      return { content: readFileSync(String(path), 'utf8') };
    } catch {
      throw new DapError(`source unavailable: ${path}`);
    }
  }

  // ----- breakpoints

  async setBreakpoints(args: Record<string, any>): Promise<Body> {
    const path = String(args.source?.path);
    const wanted: { line: number }[] = (args.breakpoints ?? []).map((b: { line: number }) => ({ line: Number(b.line) }));
    this.breakpoints.set(path, wanted);
    const lines = this.cells.get(path);
    const placed = lines ? await this.applyBreakpoints(path, lines) : [];
    await this.watchScripts();
    // Unverified until the cell has compiled (its first run sets them before any of its code runs); once it has, on
    // the line where it will stop (JupyterLab moves the gutter's dot there): a blank or comment line's next code line.
    return { breakpoints: wanted.map((b, i) => ({ verified: placed[i] !== undefined, line: placed[i] ?? b.line, source: { path } })) };
  }

  /**
   * A breakpoint's generated line is known once its cell has compiled; that cell's first run must not start before
   * the breakpoint is set. So while any is waiting, each script pauses before it runs (onPaused sets them and resumes).
   */
  private async watchScripts(): Promise<void> {
    const waiting = this.pauseWaits || [...this.breakpoints].some(([path, list]) => list.length > 0 && !this.cells.has(path));
    if (waiting && !this.beforeScripts) {
      this.beforeScripts = (await this.post('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' })).breakpointId;
    } else if (!waiting && this.beforeScripts) {
      const breakpointId = this.beforeScripts;
      this.beforeScripts = undefined;
      await this.post('Debugger.removeBreakpoint', { breakpointId });
    }
  }

  /** Sets the breakpoints wanted in `path`; the 1-based TypeScript line each stops on (undefined: no code there or after). */
  private async applyBreakpoints(path: string, lines: number[]): Promise<(number | undefined)[]> {
    for (const id of this.cdpBreakpoints.get(path) ?? []) await this.post('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
    const ids: string[] = [];
    const placed: (number | undefined)[] = [];
    for (const { line } of this.breakpoints.get(path) ?? []) {
      const generated = generatedLine(lines, line - 1);
      if (generated === undefined) {
        placed.push(undefined);
        continue;
      }
      const { breakpointId, locations } = await this.post('Debugger.setBreakpointByUrl', { url: pathToFileURL(path).href, lineNumber: generated });
      ids.push(breakpointId);
      // V8 moves a breakpoint on a line without a statement (a comment's) to the next statement: where it resolved.
      const resolved = lines[(locations as { lineNumber: number }[])[0]?.lineNumber ?? generated];
      placed.push((resolved !== undefined && resolved >= 0 ? resolved : lines[generated]) + 1);
    }
    this.cdpBreakpoints.set(path, ids);
    return placed;
  }

  async setExceptionBreakpoints(args: Record<string, any>): Promise<Body> {
    const filters: string[] = args.filters ?? [];
    const unknown = filters.filter((filter) => filter !== 'raised');
    if (unknown.length) throw new DapError(`setExceptionBreakpoints: the gcnlab debugger has only the 'raised' filter (every exception thrown, caught or not), not ${unknown.map((f) => `'${f}'`).join(', ')}`);
    const state = filters.length ? 'all' : 'none';
    await this.post('Debugger.setPauseOnExceptions', { state });
    return {};
  }

  configurationDone(): Body {
    return {};
  }

  attach(): Body {
    return {};
  }

  // ----- pausing

  private async onPaused(params: Paused): Promise<void> {
    // A cell's first run can pause (a Pause that waited, blackboxed, for the user's code) before the main thread's
    // map of its lines has arrived: without it the cell's frame would look like no cell's, and the Pause would wait
    // for a next line of the cell that is already running through (seen on a loaded 2-core machine).
    const unmapped = new Set(params.callFrames.map((frame) => pathOf(frame.url || this.scriptUrls.get(frame.location.scriptId) || '')).filter((url) => url.startsWith(CELL_PREFIX) && !this.cells.has(url)));
    for (const url of unmapped) await this.cellLines(url);
    const hits = params.hitBreakpoints ?? [];
    if (hits.length > 0 && hits.every((id) => this.droppedTraps.has(id)) && params.reason !== 'exception' && params.reason !== 'promiseRejection') {
      this.unseenResume = true;
      await this.post('Debugger.resume').catch(() => undefined);
      return;
    }
    if (this.pausing && params.reason === 'other' && !params.callFrames.some((frame) => this.tsLine(frame) !== undefined)) {
      // The Pause came outside every cell (Node's timers, the kernel's messages): it waits in the traps pause() set.
      this.unseenResume = true;
      await this.post('Debugger.resume').catch(() => undefined);
      return;
    }
    if (this.pauseWaits && params.reason !== 'instrumentation') {
      const traps = await this.dropPauseTraps();
      params = { ...params, hitBreakpoints: params.hitBreakpoints?.filter((id) => !traps.includes(id)) };
    }
    if (params.reason === 'instrumentation') {
      const url = pathOf(params.data?.url ?? '');
      if (url.startsWith(CELL_PREFIX)) {
        const lines = await this.cellLines(url);
        if (lines && this.breakpoints.has(url)) await this.applyBreakpoints(url, lines).catch(() => undefined);
        if (lines && this.pauseWaits) await this.trapCell(url, lines);
        await this.watchScripts().catch(() => undefined);
      }
      this.unseenResume = true;
      await this.post('Debugger.resume').catch(() => undefined);
      return;
    }
    if ((params.reason === 'exception' || params.reason === 'promiseRejection') && !params.callFrames.some((frame) => this.tsLine(frame) !== undefined)) {
      // Thrown outside any cell (the kernel loading gcnlab, probing devices): not the user's to see.
      this.unseenResume = true;
      await this.post('Debugger.resume').catch(() => undefined);
      return;
    }
    this.paused = params;
    const top = params.callFrames[0];
    const line = top ? this.tsLine(top) : undefined;
    const hitBreakpoint = (params.hitBreakpoints?.length ?? 0) > 0;
    const exception = params.reason === 'exception' || params.reason === 'promiseRejection';
    const inCell = params.callFrames.some((frame) => this.tsLine(frame) !== undefined);
    // A breakpoint ends any step (one left over from a step that ran off the end of its cell too).
    const step = hitBreakpoint || exception ? undefined : this.stepping;
    this.stepping = undefined;
    if (step) {
      // A step ends on a new TypeScript line of a cell; within the same line, or in code below a cell, it goes on.
      const sameLine = line === step.line && params.callFrames.length === step.depth;
      if (line === undefined && !inCell) {
        // Past the cell's end, in the kernel's code: the cell has run its course; it goes on as a continue.
        this.unseenResume = true;
        await this.post('Debugger.resume').catch(() => undefined);
        return;
      }
      if ((line === undefined || sameLine) && step.count < MAX_SUBSTEPS) {
        this.stepping = { ...step, count: step.count + 1 };
        const next = line === undefined ? 'Debugger.stepOut' : STEPS[step.command];
        await this.post(next).catch(() => undefined);
        return;
      }
    }
    const pausing = this.pausing;
    this.pausing = false;
    const reason = exception ? 'exception' : hitBreakpoint ? 'breakpoint' : !step && pausing ? 'pause' : step ? 'step' : params.reason === 'other' ? 'breakpoint' : params.reason;
    this.emit({ event: 'stopped', body: { reason, threadId: THREAD_ID, allThreadsStopped: true } });
  }

  /**
   * A trap on each line of the latest cells and of each cell that runs from now on (pauseWaits), so that a Pause comes
   * on the next line of theirs that runs, as ipykernel's debugpy stops on the user's next line. Set by pause, before
   * it asks V8 to pause.
   */
  private async armPauseTraps(): Promise<void> {
    if (this.pauseWaits) return;
    this.pauseWaits = true;
    for (const [path, lines] of [...this.cells].slice(-PAUSE_TRAP_CELLS)) await this.trapCell(path, lines);
    await this.watchScripts().catch(() => undefined);
  }

  /** Adds to pauseTraps a breakpoint on each JavaScript line of cell `path` that is one of its TypeScript lines'. */
  private async trapCell(path: string, lines: number[]): Promise<void> {
    for (const [generated, line] of lines.entries()) {
      if (line < 0) continue;
      const set = await this.post('Debugger.setBreakpointByUrl', { url: pathToFileURL(path).href, lineNumber: generated }).catch(() => undefined);
      if (set?.breakpointId) this.pauseTraps.push(set.breakpointId);
    }
  }

  /**
   * The line map of a cell the main thread announced (it posts it just before running the cell, and the cell waits
   * at its instrumentation pause meanwhile). Up to CELL_LINES_WAIT_MS: on a loaded 2-core machine the message once
   * took longer than the 1 s this waited, and the cell then ran through the Pause waiting for it.
   */
  private cellLines(path: string): Promise<number[] | undefined> {
    const known = this.cells.get(path);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), CELL_LINES_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.cellWaiters.delete(path);
        resolve(this.cells.get(path));
      };
      this.cellWaiters.set(path, done);
    });
  }

  /** 1-based TypeScript line of a frame in a cell; undefined outside cells. */
  private tsLine(frame: Paused['callFrames'][number]): number | undefined {
    const url = pathOf(frame.url || this.scriptUrls.get(frame.location.scriptId) || '');
    const lines = this.cells.get(url);
    const line = lines?.[frame.location.lineNumber];
    return line === undefined || line < 0 ? undefined : line + 1;
  }

  private requirePaused(): Paused {
    if (!this.paused) throw new DapError('the kernel is not paused: this request needs a stopped thread');
    return this.paused;
  }

  threads(): Body {
    return { threads: [{ id: THREAD_ID, name: 'main' }] };
  }

  stackTrace(): Body {
    const frames = this.requirePaused().callFrames.map((frame, id) => ({ frame, id, line: this.tsLine(frame) }));
    const cellFrames = frames.filter((f) => f.line !== undefined);
    const shown = cellFrames.length ? cellFrames : frames;
    const stackFrames = shown.map(({ frame, id, line }) => ({
      id,
      // An anonymous frame is a cell's top level in a cell; elsewhere (Node's, a package's) it has no name to give.
      name: frame.functionName || (line !== undefined ? '<cell>' : '<anonymous>'),
      line: line ?? frame.location.lineNumber + 1,
      column: frame.location.columnNumber + 1,
      source: { path: pathOf(frame.url || this.scriptUrls.get(frame.location.scriptId) || '') },
    }));
    return { stackFrames, totalFrames: stackFrames.length };
  }

  async scopes(args: Record<string, any>): Promise<Body> {
    const frame = this.requirePaused().callFrames[Number(args.frameId)];
    if (!frame) throw new DapError(`scopes: no frame ${args.frameId} in the stopped stack`);
    // A cell's top-level code runs in a function whose parameters are the kernel's (exports, require): not the user's.
    const cellTop = !frame.functionName && this.tsLine(frame) !== undefined;
    const scopes = frame.scopeChain
      // The global object holds Node's and V8's names, not the notebook's; the cells' own globals follow as Globals.
      .filter((scope) => scope.type !== 'global' && scope.object.objectId)
      .map((scope) => {
        const variablesReference = this.ref(scope.object.objectId!);
        if (cellTop && scope.type === 'local') this.wrapperScopes.add(variablesReference);
        return { name: scope.type === 'local' ? 'Locals' : scope.name || scope.type, variablesReference, expensive: false };
      });
    // What earlier cells defined, as ipykernel's Globals.
    const { result } = await this.post('Runtime.evaluate', { expression: 'globalThis.__gcnlab_cell__.locals' }).catch(() => ({ result: {} }));
    if (result.objectId) scopes.push({ name: 'Globals', variablesReference: this.ref(result.objectId), expensive: false });
    return { scopes };
  }

  async variables(args: Record<string, any>): Promise<Body> {
    const ref = Number(args.variablesReference);
    const objectId = this.refs.get(ref);
    if (!objectId) throw new DapError(`variables: no object for variablesReference ${args.variablesReference}; it ended when the thread resumed`);
    const variables = await this.properties(objectId);
    return { variables: this.wrapperScopes.has(ref) ? variables.filter((v) => !WRAPPER_PARAMETERS.has(String(v.name))) : variables };
  }

  async inspectVariables(): Promise<Body> {
    const { result } = await this.post('Runtime.evaluate', { expression: 'globalThis.__gcnlab_cell__.locals' });
    return { variables: result.objectId ? await this.properties(result.objectId) : [] };
  }

  async richInspectVariables(args: Record<string, any>): Promise<Body> {
    const name = String(args.variableName);
    const paused = this.paused;
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new DapError(`richInspectVariables: '${name}' is not a variable name`);
    const { result } = paused && args.frameId !== undefined
      ? await this.post('Debugger.evaluateOnCallFrame', { callFrameId: paused.callFrames[Number(args.frameId)]?.callFrameId, expression: name })
      : await this.post('Runtime.evaluate', { expression: `(() => { with (globalThis.__gcnlab_cell__.locals) return ${name}; })()` });
    const text = result.objectId && !(result.className && TENSOR_CLASSES.has(result.className))
      ? String((await this.post('Runtime.callFunctionOn', { objectId: result.objectId, functionDeclaration: 'function () { return String(this); }', returnByValue: true })).result.value)
      : await this.describeValue(result);
    return { data: { 'text/plain': text }, metadata: {} };
  }

  /** The kernel sources panel: the cells compiled since the kernel started (the newest MAX_CELLS). */
  modules(): Body {
    const modules = [...this.cells.keys()].map((path) => ({ id: path, name: basename(path), path }));
    return { modules, totalModules: modules.length };
  }

  copyToGlobals(): Body {
    throw new DapError('copyToGlobals is not supported by the gcnlab debugger yet');
  }

  async evaluate(args: Record<string, any>): Promise<Body> {
    const expression = String(args.expression);
    const frame = this.paused?.callFrames[Number(args.frameId ?? 0)];
    const notebook = frame ? await this.notebookNamesIn(frame, expression) : new Set<string>();
    const run = (code: string) =>
      frame
        ? this.post('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: throughNotebook(code, notebook) })
        : this.post('Runtime.evaluate', { expression: `(() => { with (${NOTEBOOK_STORE}) return (${code}); })()` });
    let { result, exceptionDetails } = await run(expression);
    // TypeScript the cells would take (`x as number`): its types removed, once more.
    if (exceptionDetails?.exception?.className === 'SyntaxError') {
      const javascript = withoutTypes(expression);
      if (javascript !== expression) ({ result, exceptionDetails } = await run(javascript));
    }
    if (exceptionDetails) throw new DapError(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return { result: describe(result), type: result.type, variablesReference: result.objectId ? this.ref(result.objectId) : 0 };
  }

  /**
   * The variables earlier cells defined that `expression` spells and `frame` does not bind itself (its scopes but the
   * global one): the names the console reads and assigns through the notebook's store there (see throughNotebook).
   * The frame's scopes are read only where the expression spells one (a hover over a local costs one round trip).
   */
  private async notebookNamesIn(frame: Paused['callFrames'][number], expression: string): Promise<Set<string>> {
    const stored = await this.post('Runtime.evaluate', { expression: `Object.keys(${NOTEBOOK_STORE})`, returnByValue: true });
    const names = spelledIn(expression, Array.isArray(stored.result?.value) ? (stored.result.value as string[]) : []);
    for (const scope of frame.scopeChain) {
      if (scope.type === 'global' || !scope.object.objectId || names.size === 0) continue;
      const { result } = await this.post('Runtime.getProperties', { objectId: scope.object.objectId, ownProperties: true });
      for (const property of result as { name: string }[]) names.delete(property.name);
    }
    return names;
  }

  // ----- resuming

  async continue(): Promise<Body> {
    this.requirePaused();
    await this.post('Debugger.resume');
    return { allThreadsContinued: true };
  }

  next(): Promise<Body> {
    return this.step('next');
  }

  stepIn(): Promise<Body> {
    return this.step('stepIn');
  }

  stepOut(): Promise<Body> {
    return this.step('stepOut');
  }

  private async step(command: string): Promise<Body> {
    const paused = this.requirePaused();
    const top = paused.callFrames[0];
    this.stepping = { command, line: top ? this.tsLine(top) ?? -1 : -1, depth: paused.callFrames.length, count: 0, resumed: false };
    await this.post(STEPS[command]);
    return {};
  }

  async pause(): Promise<Body> {
    this.pausing = true;
    // The traps first: V8's own pause, asked while the kernel is idle, comes at the next JavaScript the main thread runs
    // (or, seen 1 run in 6 under load, never: the next cell then ran through it); the traps stop that cell either way.
    await this.armPauseTraps();
    await this.post('Debugger.pause');
    return {};
  }

  // ----- values

  private ref(objectId: string): number {
    const ref = this.nextRef++;
    this.refs.set(ref, objectId);
    return ref;
  }

  /** A value as the variables view shows it; a tensor by dtype, shape, device (and values where small). */
  private async describeValue(value: RemoteObject): Promise<string> {
    if (value.objectId && value.className && TENSOR_CLASSES.has(value.className)) {
      const summary = await this.post('Runtime.callFunctionOn', {
        objectId: value.objectId,
        functionDeclaration: TENSOR_SUMMARY,
        arguments: [{ value: SMALL_TENSOR }],
        returnByValue: true,
      }).catch(() => undefined);
      if (typeof summary?.result?.value === 'string') return summary.result.value;
    }
    return describe(value);
  }

  private async properties(objectId: string): Promise<Body[]> {
    // A long array or typed array: its first elements and its length, not a child per element (JupyterLab asks for
    // all children at once; a million of them took seconds and tens of MB).
    const length = await this.post('Runtime.callFunctionOn', { objectId, functionDeclaration: LONG_LENGTH, arguments: [{ value: ELEMENTS_SHOWN }], returnByValue: true })
      .then((r) => r.result?.value as number)
      .catch(() => -1);
    if (length > ELEMENTS_SHOWN) {
      const { result: head } = await this.post('Runtime.callFunctionOn', { objectId, functionDeclaration: FIRST_ELEMENTS, arguments: [{ value: ELEMENTS_SHOWN }] });
      const elements = head.objectId ? await this.properties(head.objectId) : [];
      const rest = length - ELEMENTS_SHOWN;
      return [...elements, { name: 'length', value: String(length), variablesReference: 0 }, { name: '…', value: `${rest.toLocaleString('en')} more not shown`, variablesReference: 0 }];
    }
    const { result, internalProperties, privateProperties } = await this.post('Runtime.getProperties', { objectId, ownProperties: true });
    // A Map's or Set's entries and a class's #private fields are not own properties: V8 lists them beside.
    const extra = [...(internalProperties ?? []).filter((p: { name: string }) => p.name === '[[Entries]]'), ...(privateProperties ?? [])];
    const all = ([...result, ...extra] as { name: string; value?: RemoteObject; enumerable?: boolean }[]).filter((p) => p.value && !p.name.startsWith('__'));
    // Any other object with very many children (a big Set's entries): the first ones, and how many more.
    const shown = all.length > ELEMENTS_SHOWN * 10 ? all.slice(0, ELEMENTS_SHOWN) : all;
    const more = all.length - shown.length;
    const described = await this.described(shown);
    return more ? [...described, { name: '…', value: `${more.toLocaleString('en')} more not shown`, variablesReference: 0 }] : described;
  }

  private described(shown: { name: string; value?: RemoteObject }[]): Promise<Body[]> {
    return Promise.all(
      shown.map(async (p) => {
        const value = p.value!;
        const isTensor = Boolean(value.className && TENSOR_CLASSES.has(value.className));
        return {
          name: p.name,
          value: await this.describeValue(value),
          // JupyterLab's variables tree shows a value only for Python's primitive type names and otherwise the type;
          // a JavaScript primitive (and a tensor, whose summary names its class) goes without one, so the tree shows
          // its value.
          ...((value.type === 'object' || value.type === 'function') && !isTensor ? { type: value.className ?? value.type } : {}),
          variablesReference: value.objectId && value.type === 'object' ? this.ref(value.objectId) : 0,
        };
      }),
    );
  }
}

interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  description?: string;
  objectId?: string;
}

/** The parameters of the function a cell's top-level code runs in (executor.ts). */
const WRAPPER_PARAMETERS = new Set(['exports', 'require']);
/** Elements of an array shown in the variables view; past them only the length and how many more. */
const ELEMENTS_SHOWN = 100;
/** Run on an object: its length where it is an array or typed array longer than `shown`, else -1. */
const LONG_LENGTH = 'function (shown) { return (Array.isArray(this) || ArrayBuffer.isView(this)) && this.length > shown ? this.length : -1; }';
/** Run on an array: a plain object of its first `shown` elements, by index. */
const FIRST_ELEMENTS = 'function (shown) { const head = {}; for (let i = 0; i < shown; i++) head[i] = this[i]; return head; }';

const STEPS: Record<string, string> = { next: 'Debugger.stepOver', stepIn: 'Debugger.stepInto', stepOut: 'Debugger.stepOut' };

type Command = (this: DebugAdapter, args: Record<string, any>) => Body | Promise<Body>;
const proto = DebugAdapter.prototype as unknown as Record<string, Command>;
const COMMANDS: Record<string, Command> = Object.fromEntries(
  ['initialize', 'attach', 'disconnect', 'configurationDone', 'setBreakpoints', 'setExceptionBreakpoints', 'threads', 'stackTrace', 'scopes',
    'variables', 'continue', 'next', 'stepIn', 'stepOut', 'pause', 'evaluate', 'source', 'debugInfo', 'dumpCell', 'inspectVariables',
    'richInspectVariables', 'copyToGlobals', 'modules'].map((name) => [name, proto[name]]),
);

/** V8 names a script run from an absolute file name by its file URL; the front end knows the path. */
function pathOf(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

/** A value as the variables view shows it. */
function describe(value: RemoteObject): string {
  if (value.type === 'string') return JSON.stringify(value.value);
  if (value.type === 'undefined') return 'undefined';
  if ('value' in value && value.type !== 'object') return String(value.value);
  return value.description ?? String(value.value);
}

/** The first generated line of a TypeScript line (0-based both), or of the next line that has code. */
function generatedLine(lines: number[], tsLine: number): number | undefined {
  let best: number | undefined;
  lines.forEach((line, generated) => {
    if (line < tsLine) return;
    if (best === undefined || line < lines[best] || (line === lines[best] && generated < best)) best = generated;
  });
  return best;
}
