// The control thread: heartbeat, the control channel and iopub, answered and sent even while a cell blocks the main
// thread (whose iopub messages are posted here to be sent in order with the control channel's status messages).
// An interrupt bumps a counter in shared memory that running cell code polls; when the main thread is inside
// synchronous cell code, a SIGINT to the process breaks it (vm's breakOnSigint).
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { createCodec, type Codec } from './wire/codec.js';
import { endpoint, type ConnectionInfo } from './wire/connection.js';
import { usageFigures, type MainThreadFigures } from './usage.js';
import { TIMING_CONTROL_REPLY, TIMING_CONTROL_REQUEST } from './timing/messages.js';
import { startTimingControl } from './timing/control.js';
import type { IopubContents, Message } from './wire/messages.js';
import { DebugAdapter, type DapRequest } from './debugger/index.js';
import { nextInterrupt, readSyncWord, SYNC_CODE, SyncCode, syncWord, type ControlInit, type FromControl, type ToControl } from './control.js';

const { connection, shared, session } = workerData as ControlInit;
const flags = new Int32Array(shared);

/**
 * Synchronous cell code can only be broken by a signal (vm's breakOnSigint). Claiming it first, in one step, means the
 * signal goes only to a script still running, which then waits for it (Executor's leaveSyncCode).
 */
function breakSyncCode(seq: number): void {
  const word = Atomics.load(flags, SYNC_CODE);
  const { startSeq, state } = readSyncWord(word);
  // Only a cell that started before interrupt `seq` is its target (one that started after it must not be broken).
  if (state !== SyncCode.running || startSeq >= seq) return;
  if (Atomics.compareExchange(flags, SYNC_CODE, word, syncWord(startSeq, SyncCode.signalled)) !== word) return;
  process.kill(process.pid, 'SIGINT');
}

/** Counts an interrupt and breaks the synchronous cell code it is meant for; returns its number. */
function requestInterrupt(): number {
  const seq = nextInterrupt(flags);
  breakSyncCode(seq);
  return seq;
}
const codec: Codec = createCodec(connection.key, connection.signature_scheme, session);
let kernelInfo: Record<string, unknown> | undefined;
let mainThreadFigures: MainThreadFigures | undefined;
const waitingForInfo: Message[] = [];
// The timing panel's history and device switches, answered here so queued or running cells never delay them.
const timing = startTimingControl();
// The debugger: no inspector session is opened until a front end sends DAP's initialize.
let debugParent: Message['header'] | undefined;
// DAP numbers every message a side sends; the events count on from 1 (JupyterLab, like DAP clients, may order by it).
let debugEventSeq = 0;
const debug = new DebugAdapter((event) => void publish('debug_event', { seq: ++debugEventSeq, type: 'event', ...event }, debugParent ?? codec.header('debug_event')));

const post = (message: FromControl) => parentPort!.postMessage(message);
const log = (text: string) => post({ type: 'log', text });

const heartbeat = new zmq.Reply();
const control = new zmq.Router();
const iopub = new zmq.Publisher();
const bound = Promise.all([
  heartbeat.bind(endpoint(connection, connection.hb_port)),
  control.bind(endpoint(connection, connection.control_port)),
  iopub.bind(endpoint(connection, connection.iopub_port)),
]);
/** iopub sends one at a time, in the order they were asked for (ZeroMQ sockets take one send at a time). */
let iopubQueue: Promise<unknown> = bound;

function sendIopub(frames: Buffer[]): Promise<unknown> {
  iopubQueue = iopubQueue.then(() => iopub.send(frames)).catch((error: Error) => log(`iopub: ${error.message}`));
  return iopubQueue;
}

function publish<T extends keyof IopubContents>(msgType: T, content: IopubContents[T], parent: Message['header']): Promise<unknown> {
  return sendIopub(
    codec.encode({ identities: [Buffer.from(`kernel.${msgType}`)], header: codec.header(msgType), parent_header: parent, metadata: {}, content: content as unknown as Record<string, unknown> }),
  );
}

async function reply(request: Message, msgType: string, content: Record<string, unknown>): Promise<void> {
  await control.send(
    codec.encode({ identities: request.identities, header: codec.header(msgType), parent_header: request.header, metadata: {}, content }),
  );
}

async function serveHeartbeat(): Promise<void> {
  for await (const frames of heartbeat) await heartbeat.send(frames);
}

/** Control requests by msg_type (looked up as own properties only: `__proto__` is no handler). */
const handlers = new Map<string, (request: Message) => Promise<void>>([
  ['interrupt_request', async (request) => {
    // A Pause waiting for the interrupted cell's next line goes with it.
    debug.forgetPause();
    // The interrupt's number: the main thread ignores it for cells that started after it was requested.
    post({ type: 'interrupt', seq: requestInterrupt() });
    // A cell paused in the debugger sees the interrupt once it runs again.
    await debug.release();
    await reply(request, 'interrupt_reply', { status: 'ok' });
  }],
  ['shutdown_request', async (request) => {
    const restart = Boolean((request.content as { restart?: unknown }).restart);
    await reply(request, 'shutdown_reply', { status: 'ok', restart });
    // Also on iopub, as ipykernel does, so every client learns that the kernel is going.
    await publish('shutdown_reply', { status: 'ok', restart }, request.header);
    // A cell stuck in synchronous code would never see the shutdown message: break it first.
    debug.forgetPause();
    requestInterrupt();
    await debug.release();
    post({ type: 'shutdown', restart });
  }],
  ['kernel_info_request', async (request) => {
    if (kernelInfo) await reply(request, 'kernel_info_reply', kernelInfo);
    else waitingForInfo.push(request);
  }],
  ['debug_request', async (request) => {
    debugParent = request.header;
    await reply(request, 'debug_reply', await debug.handle(request.content as unknown as DapRequest));
  }],
  ['usage_request', (request) => reply(request, 'usage_reply', { ...usageFigures(mainThreadFigures) })],
  [TIMING_CONTROL_REQUEST, (request) => reply(request, TIMING_CONTROL_REPLY, timing.answer(request.content))],
]);

async function handle(request: Message): Promise<void> {
  const msgType = request.header.msg_type;
  const handler = handlers.get(msgType);
  await publish('status', { execution_state: 'busy' }, request.header);
  try {
    // An unknown type is logged and gets no reply, as on the shell channel and as ipykernel does.
    if (handler) await handler(request);
    else log(`unsupported control message '${msgType}' ignored`);
  } finally {
    await publish('status', { execution_state: 'idle' }, request.header);
  }
}

async function serveControl(): Promise<void> {
  for await (const frames of control) {
    // One bad message is logged and dropped; the loop (and with it every later interrupt) goes on.
    try {
      await handle(codec.decode(frames));
    } catch (error) {
      log(`control: ${(error as Error).message}`);
    }
  }
}

parentPort!.on('message', async (message: ToControl) => {
  if (message.type === 'iopub') {
    void sendIopub(message.frames.map((frame) => Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)));
  } else if (message.type === 'kernel-info') {
    kernelInfo = message.content;
    for (const request of waitingForInfo.splice(0)) await reply(request, 'kernel_info_reply', kernelInfo).catch((error: Error) => log(`control: ${error.message}`));
  } else if (message.type === 'usage') {
    mainThreadFigures = message.figures;
  } else if (message.type === 'close') {
    // What the main thread published last (its final idle) goes out before the socket closes.
    await iopubQueue;
    heartbeat.close();
    control.close();
    iopub.close();
    parentPort!.close();
  }
});

/**
 * How often the control thread checks that the process that started the kernel (JPY_PARENT_PID, set by
 * jupyter_client) is still there. Once it is gone (a Jupyter server killed with SIGKILL), nobody can read the kernel's
 * output or shut it down, so the kernel shuts itself down, a busy cell included, as ipykernel's parent poller does.
 */
const PARENT_POLL_MS = 1000;

/** How long a shutdown for a vanished parent may take before the process ends itself without one. */
const ORPHAN_GRACE_MS = 5000;

/** Shuts the kernel down once the process JPY_PARENT_PID names is gone (see PARENT_POLL_MS). */
function watchParent(): void {
  const parentPid = Number(process.env.JPY_PARENT_PID ?? '');
  if (!(Number.isInteger(parentPid) && parentPid > 1) || process.platform === 'win32') return;
  const watch = setInterval(() => {
    try {
      process.kill(parentPid, 0);
      return;
    } catch (error) {
      // EPERM: it exists but belongs to another user.
      if ((error as NodeJS.ErrnoException).code === 'EPERM') return;
    }
    clearInterval(watch);
    log(`the parent process ${parentPid} (JPY_PARENT_PID) is gone: shutting down`);
    requestInterrupt();
    post({ type: 'shutdown', restart: false });
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), ORPHAN_GRACE_MS).unref();
  }, PARENT_POLL_MS);
  watch.unref();
}

watchParent();
await bound;
await Promise.all([serveHeartbeat().catch(() => undefined), serveControl().catch(() => undefined)]);

