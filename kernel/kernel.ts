// The kernel's answers: one handler per shell request, built from the compiler, the executor and the runtime.
// kernel/server.ts routes messages here; nothing here touches sockets except through Sockets' verbs.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { codePointPosition, utf16Index } from './code-points.js';
import { Comms } from './comms.js';
import { Compiler, type Compiled, type Diagnostic } from './compiler/index.js';
import { Executor, type Outcome } from './executor.js';
import { errorContent, mimeBundle, type CellSource } from './format.js';
import { DISPLAY_HANDLE, installCellApi } from './cell-api.js';
import { guardProcess, HEAP_STOP_FRACTION, HEAP_STOP_GROWTH_FRACTION, HeapLimitError } from './guard.js';
import { History } from './history.js';
import { Interrupts, KeyboardInterrupt, type Execution } from './interrupts.js';
import { deviceTable, formatMs, MAGICS, parseMagic, timeLoops } from './magics.js';
import { installHint } from './missing-package.js';
import { Output, writeKernelLog } from './output.js';
import { cachedDevices } from 'gcnlab/device-cache';
import { loadRuntime, packageJson, packageRoot, type Gcnlab } from './runtime.js';
import { TimingChannel } from './timing/channel.js';
import { TIMING_TARGET } from './timing/messages.js';
import { sampleMainThread, type MainThreadFigures } from './usage.js';
import type * as M from './wire/messages.js';
import { PROTOCOL_VERSION, type ErrorContent, type Message } from './wire/messages.js';
import type { Sockets } from './wire/sockets.js';
import { announceCell, cellPath, DEBUGGER_ADVERTISED } from './debugger/index.js';

const TS_VERSION = '5.0';
const USAGE_SAMPLE_MS = 200;

export class Kernel {
  readonly interrupts: Interrupts;
  readonly output: Output;
  readonly comms: Comms;
  private readonly compiler = new Compiler(packageRoot, packageJson.name);
  private readonly executor: Executor;
  private readonly timing: TimingChannel;
  private readonly runtimePromise: Promise<Gcnlab>;
  private runtime: Gcnlab | undefined;
  private info: Promise<M.KernelInfoReply> | undefined;
  /** The number of the last cell stored in history (cells with store_history false do not count). */
  get executionCount(): number {
    return this.storedCells;
  }
  private storedCells = 0;
  /** (session, line, input, text/plain of the result or null); this kernel numbers its one session 1. */
  private readonly history = new History(undefined, writeKernelLog);
  private readonly cells = new Map<string, CellSource>();
  private readonly pendingInput = new Map<string, { resolve(value: string): void; reject(error: Error): void }>();
  private currentRequest: Message<M.ExecuteRequest> | undefined;
  /** Receives the main thread's usage figures (the control thread answers usage_request with them). */
  usageListener: ((figures: MainThreadFigures) => void) | undefined;
  private lastUsageSample = 0;
  /** The main thread's lowest heap since the running cell started: the heap watch stops only a cell that grew it. */
  private heapAtCellStart = 0;
  /** Starts loading gcnlab; see the constructor. */
  readonly startRuntime: () => void;

  constructor(
    private readonly sockets: Sockets,
    flags: Int32Array,
  ) {
    this.interrupts = new Interrupts(flags);
    this.output = new Output(sockets, this.interrupts);
    this.comms = new Comms(this.output);
    this.executor = new Executor(this.interrupts, flags, packageRoot);
    // Loading gcnlab (TensorFlow.js and its backends) holds this thread for a few hundred milliseconds, so it starts
    // once the first kernel_info reply is out (clients wait for that reply before sending anything else), or after a
    // second at the latest.
    let start!: () => void;
    const gate = new Promise<void>((resolve) => (start = resolve));
    this.startRuntime = start;
    setTimeout(start, 1000).unref();
    this.runtimePromise = gate.then(loadRuntime);
    this.runtimePromise.then(
      (gcnlab) => {
        this.runtime = gcnlab;
        // Each cell's abort signal becomes gcnlab's ambient one, so an interrupt stops train() at its next epoch.
        this.executor.ambientSignal = gcnlab.withAbortSignal;
        // Cells may differentiate any tfjs op (tf.grad, tf.variableGrads), not only gcnlab's.
        void gcnlab.enableStockGradients().catch((error: Error) => writeKernelLog(`tfjs gradients failed to load: ${error.message}`));
        gcnlab.onRuntimeEvent((event) => {
          this.interrupts.noticeFromLibrary();
          this.timing.broadcast(this.timing.fromEvent(event));
          this.sampleUsage();
        });
      },
      (error: Error) => writeKernelLog(`gcnlab failed to load: ${error.stack}`),
    );
    this.timing = new TimingChannel(this.runtimePromise, packageJson.version, { publish: (type, content, parent) => this.sockets.publishOwn(type, content, parent) });
    this.comms.register(TIMING_TARGET, this.timing);
    this.output.capture();
    guardProcess({ output: this.output, interrupts: this.interrupts, cells: this.cells, log: writeKernelLog });
    installCellApi({
      output: this.output,
      interrupts: this.interrupts,
      runtime: () => this.runtime,
      comms: this.comms,
      input: (prompt, password) => this.input(prompt, password),
    });
  }

  /**
   * Samples heap and tensors for usage_request (and the heap watch): from a timer, and at training epochs, where a cell that
   * never yields to the event loop still emits events. At most every USAGE_SAMPLE_MS.
   */
  sampleUsage(): void {
    const now = performance.now();
    if (!this.usageListener || now - this.lastUsageSample < USAGE_SAMPLE_MS) return;
    this.lastUsageSample = now;
    const figures = sampleMainThread(this.runtime?.tensorMemory);
    this.usageListener(figures);
    // Heap exhaustion ends Node whatever catches what: stop the cell before (where it yields or trains, not inside
    // one synchronous allocation).
    const held = Math.max(figures.heapUsed, figures.heapTotal);
    // Growth from the lowest heap seen since the cell started: the start's figure holds garbage not yet collected,
    // so a cell that began near the limit (a hoarding cell run again) still shows its growth once V8 collects.
    this.heapAtCellStart = Math.min(this.heapAtCellStart, figures.heapUsed);
    const grown = figures.heapUsed - this.heapAtCellStart > HEAP_STOP_GROWTH_FRACTION * figures.heapLimit;
    if (held > HEAP_STOP_FRACTION * figures.heapLimit && grown) this.interrupts.current?.interrupt(new HeapLimitError(held, figures.heapLimit));
  }

  /** Made once (the device cache is read once): the control thread answers kernel_info with the same reply. */
  kernelInfo(): Promise<M.KernelInfoReply> {
    this.info ??= this.describe();
    return this.info;
  }

  private async describe(): Promise<M.KernelInfoReply> {
    let devices: string;
    try {
      // A fresh kernel names the devices from the last probe on this machine (gcnlab's device cache) instead of
      // waiting for the runtime to load and probe again; the timing channel publishes the fresh list later.
      const cached = cachedDevices();
      if (!cached) this.startRuntime();
      const list = cached ?? (await (await this.runtimePromise).listDevices());
      devices = list.map((d) => `  ${d.name.padEnd(10)} ${d.available ? `available: ${d.runsOn ?? d.backend}` : `unavailable: ${d.reason}`}`).join('\n');
    } catch (error) {
      devices = `  none: gcnlab failed to load (${(error as Error).message})`;
    }
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'gcnlab',
      implementation_version: packageJson.version,
      language_info: {
        name: 'typescript',
        version: TS_VERSION,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        pygments_lexer: 'typescript',
        codemirror_mode: { name: 'javascript', typescript: true },
      },
      banner: `gcnlab ${packageJson.version}: TypeScript ${TS_VERSION} on Node.js ${process.version}, with tslab's compiler.\n` +
        `Devices (switch with %device NAME):\n${devices}\nMagics: ${MAGICS.join(' ')}`,
      help_links: [{ text: 'gcnlab', url: 'https://github.com/gcnlab/gcnlab' }],
      debugger: DEBUGGER_ADVERTISED,
    };
  }

  // ----- execute

  async execute(request: Message<M.ExecuteRequest>): Promise<M.ExecuteReply> {
    // The messaging spec (and ipykernel): silent implies store_history false; only a stored cell takes a number.
    // Its outputs carry the number it has or would have had (`next`); the reply the last number used.
    const { code, silent = false, user_expressions: expressions = {} } = request.content;
    const store = !silent && (request.content.store_history ?? true);
    const next = this.storedCells + 1;
    if (store) this.storedCells = next;
    const count = this.storedCells;
    this.currentRequest = request;
    this.output.lastParent = request.header;
    if (!silent) void this.output.publish('execute_input', { code, execution_count: next }, request.header);
    if (store) this.history.add(next, code);
    // A device switch the panel asked for while the previous cell ran is applied here, between the two cells.
    await this.timing.beforeCell(next);
    const execution = this.interrupts.start(request.header);
    this.heapAtCellStart = v8.getHeapStatistics().used_heap_size;
    const started = performance.now();
    let reply: M.ExecuteReply;
    try {
      // Whatever escapes a cell (the compiler thread stopping under an oversized cell) is still its error, shown
      // under it: a reply without an error output would leave the notebook blank.
      const error = await this.executeCell(code, next, silent, execution).catch((thrown: unknown) => errorContent(thrown, this.cells));
      reply = error
        ? { status: 'error', execution_count: count, ...error, user_expressions: {}, payload: [] }
        : { status: 'ok', execution_count: count, user_expressions: await this.evaluate(expressions, execution), payload: [] };
    } finally {
      this.interrupts.finish(execution);
      this.currentRequest = undefined;
    }
    if (reply.status === 'error') void this.output.publish('error', { ename: reply.ename, evalue: reply.evalue, traceback: reply.traceback }, request.header);
    this.output.flush();
    this.timing.broadcast({
      kind: 'execution',
      executionCount: next,
      parentMsgId: request.header.msg_id,
      status: reply.status,
      ms: performance.now() - started,
      device: this.runtime?.currentDevice() ?? 'cpu',
    });
    this.timing.afterCell();
    return reply;
  }

  /** Runs a cell (magics included); returns the error to report, if any. */
  private async executeCell(code: string, count: number, silent: boolean, execution: Execution): Promise<ErrorContent | undefined> {
    const magic = parseMagic(code);
    switch (magic.kind) {
      case 'none':
        return this.run(code, count, execution, silent);
      case 'unknown':
        return { ename: 'UsageError', evalue: `unknown magic ${magic.name}: the gcnlab kernel knows ${MAGICS.join(', ')}`, traceback: [] };
      case 'device': {
        const error = await this.deviceMagic(magic.name);
        return error ?? (magic.rest.trim() ? this.run(magic.rest, count, execution, silent, undefined, { text: code, line: magic.line }) : undefined);
      }
      case 'time': {
        // As IPython's %time: the time is printed once the code has run without an error, before its result.
        const t0 = performance.now();
        return this.run(magic.code, count, execution, silent, () => this.output.stream('stdout', `Wall time: ${formatMs(performance.now() - t0)}\n`), { text: code, line: magic.line });
      }
      case 'timeit':
        return this.timeit(magic.code, count, execution);
    }
  }

  /**
   * Compiles a cell and keeps its source for tracebacks under its name; or the type errors to report. `cell`: the
   * whole cell where `code` is what follows its magic from line `line` on (its breakpoints and lines are the cell's).
   */
  private async compile(code: string, count: number, cell?: WholeCell): Promise<{ error: ErrorContent } | { compiled: Compiled; name: string }> {
    const compiled = await this.compiler.compile(code);
    if (!compiled.ok) return { error: diagnosticsError(compiled.diagnostics, count) };
    // A cell runs under the path the debugger's front end computes for its code (its breakpoints name it), whether
    // or not the debugger is on yet; its tracebacks still name it cell[N].
    const cellName = `cell[${count}]`;
    const shift = cell?.line ?? 0;
    const lines = onCode(compiled.lines, code).map((line) => (line >= 0 ? line + shift : line));
    const source = cell?.text ?? code;
    const debugPath = cellPath(source);
    this.cells.set(debugPath, { source, lines, name: cellName });
    announceCell(debugPath, lines);
    return { compiled, name: debugPath };
  }

  /** Compiles and runs a cell; `succeeded`, if given, is called once it has run without an error, before its result is shown. */
  private async run(code: string, count: number, execution: Execution, silent: boolean, succeeded?: () => void, cell?: WholeCell): Promise<ErrorContent | undefined> {
    const result = await this.compile(code, count, cell);
    if ('error' in result) return result.error;
    const outcome = await this.executor.run(result.compiled, result.name, execution);
    return this.settle(outcome, result.compiled.declOutput, count, silent, succeeded);
  }

  private async settle(outcome: Outcome, declOutput: string, count: number, silent: boolean, succeeded?: () => void): Promise<ErrorContent | undefined> {
    // Whatever ran before an error or an interrupt is defined, so later cells may use it (as in IPython).
    await this.compiler.commit(declOutput);
    if (outcome.status === 'interrupted') return interruptedError();
    if (outcome.status === 'error') return errorContent(outcome.error, this.cells);
    succeeded?.();
    const isHandle = typeof outcome.value === 'object' && outcome.value !== null && DISPLAY_HANDLE in outcome.value;
    if (outcome.hasValue && !silent && !isHandle) {
      const data = mimeBundle(outcome.value, this.runtime);
      this.history.setOutput(count, String(data['text/plain']));
      void this.output.publish('execute_result', { execution_count: count, data, metadata: {} });
    }
    return undefined;
  }

  /** user_expressions, each evaluated after a cell that succeeded, as IPython does: one result or error each. */
  private async evaluate(expressions: Record<string, string>, execution: Execution): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions ?? {})) {
      if (typeof expression !== 'string') {
        results[name] = { status: 'error', ename: 'TypeError', evalue: `user expression '${name}' is ${typeof expression}, not a string of code`, traceback: [] };
        continue;
      }
      const compiled = await this.compiler.compile(expression);
      if (!compiled.ok) {
        results[name] = { status: 'error', ...diagnosticsError(compiled.diagnostics, 0) };
        continue;
      }
      const cell = `user_expressions[${name}]`;
      this.cells.set(cell, { source: expression, lines: compiled.lines });
      const outcome = await this.executor.run(compiled, cell, execution);
      if (outcome.status === 'ok') results[name] = { status: 'ok', data: mimeBundle(outcome.hasValue ? outcome.value : undefined, this.runtime), metadata: {} };
      else results[name] = { status: 'error', ...(outcome.status === 'interrupted' ? interruptedError() : errorContent(outcome.error, this.cells)) };
      this.cells.delete(cell);
    }
    return results;
  }

  private async deviceMagic(name: string | undefined): Promise<ErrorContent | undefined> {
    let gcnlab: Gcnlab;
    try {
      gcnlab = await this.runtimePromise;
    } catch (error) {
      return { ename: 'RuntimeUnavailable', evalue: `gcnlab failed to load: ${(error as Error).message}`, traceback: [] };
    }
    try {
      if (name) {
        const info = await gcnlab.useDevice(name);
        this.output.stream('stdout', `device: ${info.name} (${info.runsOn ?? info.backend})\n`);
        return undefined;
      }
      this.output.display(deviceTable(await gcnlab.listDevices(), gcnlab.currentDevice(), gcnlab.escapeHtml));
      return undefined;
    } catch (error) {
      return errorContent(error, this.cells);
    }
  }

  private async timeit(code: string, count: number, execution: Execution): Promise<ErrorContent | undefined> {
    const result = await this.compile(code, count);
    if ('error' in result) return result.error;
    const once = async () => {
      const outcome = await this.executor.run(result.compiled, result.name, execution);
      if (outcome.status === 'interrupted') throw new KeyboardInterrupt();
      if (outcome.status === 'error') throw outcome.error;
    };
    try {
      this.output.stream('stdout', (await timeLoops(once)) + '\n');
      await this.compiler.commit(result.compiled.declOutput);
      return undefined;
    } catch (error) {
      return error instanceof KeyboardInterrupt ? interruptedError() : errorContent(error, this.cells);
    }
  }

  // ----- stdin

  private input(prompt: string, password: boolean): Promise<string> {
    const request = this.currentRequest;
    if (!request || !request.content.allow_stdin) {
      return Promise.reject(new Error('input() needs a frontend that accepts input (this request came with allow_stdin false)'));
    }
    return new Promise((resolve, reject) => {
      this.pendingInput.set(request.header.msg_id, { resolve, reject });
      this.output.flush();
      void this.sockets.askInput(request, prompt, password);
    });
  }

  inputReply(message: Message<M.InputReply>): void {
    const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? '';
    const pending = this.pendingInput.get(parentId) ?? [...this.pendingInput.values()][0];
    this.pendingInput.clear();
    pending?.resolve(message.content.value);
  }

  // ----- introspection

  async complete(request: Message<M.CompleteRequest>): Promise<M.CompleteReply> {
    const { code, cursor_pos } = request.content;
    const cursor = utf16Index(code, cursor_pos);
    const magic = /^%%?\w*$/.exec(code.slice(0, cursor));
    if (magic) {
      return { status: 'ok', matches: MAGICS.filter((m) => m.startsWith(magic[0])), cursor_start: 0, cursor_end: cursor_pos, metadata: {} };
    }
    const r = await this.compiler.complete(code, cursor);
    return { status: 'ok', matches: r.matches, cursor_start: codePointPosition(code, r.start), cursor_end: codePointPosition(code, r.end), metadata: {} };
  }

  async inspect(request: Message<M.InspectRequest>): Promise<M.InspectReply> {
    const { code, cursor_pos, detail_level = 0 } = request.content;
    const r = await this.compiler.inspect(code, utf16Index(code, cursor_pos), detail_level);
    return { status: 'ok', found: r.found, data: r.found ? { 'text/plain': r.text, 'text/markdown': r.markdown } : {}, metadata: {} };
  }

  async isComplete(request: Message<M.IsCompleteRequest>): Promise<M.IsCompleteReply> {
    // A magic's own line is complete; the code it times is as complete as that code.
    const magic = parseMagic(request.content.code);
    if (magic.kind === 'time' || magic.kind === 'timeit') return magic.code.trim() ? this.compiler.isComplete(magic.code) : { status: 'complete' };
    if (magic.kind !== 'none') return { status: 'complete' };
    return this.compiler.isComplete(request.content.code);
  }

  historyReply(request: Message<M.HistoryRequest>): M.HistoryReply {
    return this.history.reply(request.content);
  }

  // ----- comms

  commInfo(request: Message<M.CommInfoRequest>): M.CommInfoReply {
    return { status: 'ok', comms: this.comms.info(request.content.target_name) };
  }

  /** Interrupt number `seq` reached the main thread (control thread message or SIGINT). */
  interrupt(seq: number): void {
    if (!this.interrupts.notice(seq)) return;
    for (const pending of this.pendingInput.values()) pending.reject(new KeyboardInterrupt());
    this.pendingInput.clear();
  }
}

function diagnosticsError(diagnostics: Diagnostic[], count: number): ErrorContent {
  const where = (d: Diagnostic) => (d.fileName ? `${d.fileName}:${d.line}:${d.column}` : `cell[${count}], line ${d.line}:${d.column}`);
  // TS2307, "Cannot find module 'x'": where x is a package, the message also says how to install it.
  const message = (d: Diagnostic) => {
    const missing = d.code === 2307 ? /^Cannot find module '([^']+)'/.exec(d.message)?.[1] : undefined;
    const hint = missing && installHint(missing, process.cwd());
    return hint ? `${d.message} ${hint}` : d.message;
  };
  return {
    ename: 'TSError',
    evalue: diagnostics.map((d) => `${where(d)} - TS${d.code}: ${message(d)}`).join('\n'),
    traceback: ['TSError: the cell did not type-check; nothing ran', ...diagnostics.map((d) => `${where(d)} - error TS${d.code}: ${message(d)}`)],
  };
}

function interruptedError(): ErrorContent {
  return { ename: 'KeyboardInterrupt', evalue: 'the cell was interrupted; variables defined before it are kept', traceback: ['KeyboardInterrupt: the cell was interrupted'] };
}

/**
 * A line map without the lines the compiler added (the exports after the last statement map to a blank line or past
 * the cell's end): a step or a traceback never stops on a line with no code of the cell.
 */
function onCode(lines: number[], code: string): number[] {
  const source = code.split('\n');
  return lines.map((line) => (line >= 0 && (source[line] ?? '').trim() === '' ? -1 : line));
}

/** A cell whose code follows a magic: its whole text, and the line where the code starts. */
interface WholeCell {
  text: string;
  line: number;
}
