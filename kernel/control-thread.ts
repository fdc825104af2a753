// The control thread: heartbeat and the control channel, answered even while a cell blocks the main thread.
// An interrupt bumps a counter in shared memory that running cell code polls; when the main thread is inside
// synchronous cell code, a SIGINT to the process breaks it (vm's breakOnSigint).
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { createCodec } from './wire/codec.js';
import { endpoint, type ConnectionInfo } from './wire/connection.js';
import { usageFigures, type MainThreadFigures } from './usage.js';
import type { Message } from './wire/messages.js';
import { nextInterrupt, readSyncWord, SYNC_CODE, SyncCode, syncWord, type ControlInit, type FromControl, type ToControl } from './control.js';

const { connection, shared } = workerData as ControlInit;
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
const codec = createCodec(connection.key, connection.signature_scheme);
let kernelInfo: Record<string, unknown> | undefined;
let mainThreadFigures: MainThreadFigures | undefined;
const waitingForInfo: Message[] = [];

const post = (message: FromControl) => parentPort!.postMessage(message);
const log = (text: string) => post({ type: 'log', text });

const heartbeat = new zmq.Reply();
const control = new zmq.Router();

async function reply(request: Message, msgType: string, content: Record<string, unknown>): Promise<void> {
  await control.send(
    codec.encode({ identities: request.identities, header: codec.header(msgType), parent_header: request.header, metadata: {}, content }),
  );
}

async function serveHeartbeat(): Promise<void> {
  for await (const frames of heartbeat) await heartbeat.send(frames);
}

async function serveControl(): Promise<void> {
  for await (const frames of control) {
    let request: Message;
    try {
      request = codec.decode(frames);
    } catch (error) {
      log(`control: ${(error as Error).message}`);
      continue;
    }
    switch (request.header.msg_type) {
      case 'interrupt_request': {
        // The interrupt's number: the main thread ignores it for cells that started after it was requested.
        post({ type: 'interrupt', seq: requestInterrupt() });
        await reply(request, 'interrupt_reply', { status: 'ok' });
        break;
      }
      case 'shutdown_request': {
        const restart = Boolean((request.content as { restart?: boolean }).restart);
        await reply(request, 'shutdown_reply', { status: 'ok', restart });
        // A cell stuck in synchronous code would never see the shutdown message: break it first.
        requestInterrupt();
        post({ type: 'shutdown', restart });
        break;
      }
      case 'usage_request':
        await reply(request, 'usage_reply', { ...usageFigures(mainThreadFigures) });
        break;
      case 'kernel_info_request':
        if (kernelInfo) await reply(request, 'kernel_info_reply', kernelInfo);
        else waitingForInfo.push(request);
        break;
      default:
        await reply(request, request.header.msg_type.replace(/_request$/, '_reply'), {
          status: 'error',
          ename: 'NotImplemented',
          evalue: `'${request.header.msg_type}' is not supported on the control channel by the gcnlab kernel`,
          traceback: [],
        });
    }
  }
}

parentPort!.on('message', async (message: ToControl) => {
  if (message.type === 'kernel-info') {
    kernelInfo = message.content;
    for (const request of waitingForInfo.splice(0)) await reply(request, 'kernel_info_reply', kernelInfo);
  } else if (message.type === 'usage') {
    mainThreadFigures = message.figures;
  } else if (message.type === 'close') {
    heartbeat.close();
    control.close();
    parentPort!.close();
  }
});

await heartbeat.bind(endpoint(connection, connection.hb_port));
await control.bind(endpoint(connection, connection.control_port));
await Promise.all([serveHeartbeat().catch(() => undefined), serveControl().catch(() => undefined)]);
