// The message loop: receives on shell and stdin, routes each request to the kernel's handler, wraps it in
// busy/idle status, and sends the reply. Besides routing it keeps the shell queue: what arrived while a cell ran
// waits its turn, and after a failed cell with stop_on_error the execute_requests already queued are aborted.
import { randomUUID } from 'node:crypto';
import { nextInterrupt, startControlThread } from './control.js';
import { exitKernel } from './guard.js';
import { Kernel } from './kernel.js';
import { writeKernelLog } from './output.js';
import { createCodec } from './wire/codec.js';
import type { ConnectionInfo } from './wire/connection.js';
import type * as M from './wire/messages.js';
import type { Message } from './wire/messages.js';
import { Sockets } from './wire/sockets.js';

type Handler = (message: Message<never>) => object | Promise<object> | undefined;

export async function serve(connection: ConnectionInfo): Promise<never> {
  if (!connection.key) writeKernelLog('the connection file has an empty key: messages are neither signed nor checked (anyone who reaches the ports can run code)');
  const session = randomUUID();
  const control = startControlThread(connection, session);
  const sockets = new Sockets(createCodec(connection.key, connection.signature_scheme, session), writeKernelLog, (frames) =>
    control.send({ type: 'iopub', frames }),
  );
  await sockets.bind(connection);
  const kernel = new Kernel(sockets, control.flags);
  void sockets.publish('status', { execution_state: 'starting' });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    kernel.output.flush();
    await new Promise((r) => setTimeout(r, 50));
    sockets.close();
    await control.close();
    exitKernel(0);
  };
  control.on((message) => {
    if (message.type === 'interrupt') kernel.interrupt(message.seq);
    else if (message.type === 'shutdown') void shutdown();
    else if (message.type === 'log') writeKernelLog(message.text);
  });
  // A signal from outside (interrupt_mode 'signal' clients, Ctrl-C in a terminal); without a listener it would end the
  // kernel. Inside synchronous cell code breakOnSigint handles it, and the control thread's own signals only go there.
  process.on('SIGINT', () => kernel.interrupt(nextInterrupt(control.flags)));
  kernel.usageListener = (figures) => control.send({ type: 'usage', figures });
  setInterval(() => kernel.sampleUsage(), 250).unref();
  void kernel.kernelInfo().then((content) => control.send({ type: 'kernel-info', content: content as unknown as Record<string, unknown> }));

  // Looked up as own entries only (a Map): a msg_type such as '__proto__' or 'constructor' finds no handler.
  const handlers = new Map<string, [reply: string, handler: Handler]>([
    ['kernel_info_request', ['kernel_info_reply', () => kernel.kernelInfo()]],
    ['execute_request', ['execute_reply', (m: Message<M.ExecuteRequest>) => kernel.execute(m)]],
    ['complete_request', ['complete_reply', (m: Message<M.CompleteRequest>) => kernel.complete(m)]],
    ['inspect_request', ['inspect_reply', (m: Message<M.InspectRequest>) => kernel.inspect(m)]],
    ['is_complete_request', ['is_complete_reply', (m: Message<M.IsCompleteRequest>) => kernel.isComplete(m)]],
    ['history_request', ['history_reply', (m: Message<M.HistoryRequest>) => kernel.historyReply(m)]],
    ['comm_info_request', ['comm_info_reply', (m: Message<M.CommInfoRequest>) => kernel.commInfo(m)]],
    ['comm_open', ['', (m: Message<M.CommOpen>) => void kernel.comms.openedByFrontend(m.content.comm_id, m.content.target_name, m.content.data ?? {}, m.header)]],
    ['comm_msg', ['', (m: Message<M.CommMsg>) => void kernel.comms.message(m.content.comm_id, m.content.data ?? {}, m.buffers, m.header)]],
    ['comm_close', ['', (m: Message<M.CommMsg>) => void kernel.comms.closedByFrontend(m.content.comm_id)]],
    ['shutdown_request', ['shutdown_reply', (m: Message<M.ShutdownRequest>) => {
      const content = { status: 'ok' as const, restart: Boolean(m.content.restart) };
      // Also on iopub, as ipykernel does, so every client learns that the kernel is going.
      void sockets.publish('shutdown_reply', content, m.header);
      setImmediate(() => void shutdown());
      return content;
    }]],
  ]);

  /**
   * After a failed cell with stop_on_error: the requests that were already queued when it failed (ipykernel puts its
   * stop-aborting marker behind them). Taken before the error reply goes out, so a request the client sends after
   * reading that reply always runs.
   */
  let aborting = new Set<Message>();

  const route = async (message: Message) => {
    const msgType = message.header.msg_type;
    const entry = handlers.get(msgType);
    await sockets.publish('status', { execution_state: 'busy' }, message.header);
    try {
      if (!entry) {
        writeKernelLog(`unsupported shell message '${msgType}' ignored`);
        return;
      }
      if (msgType === 'execute_request') {
        const content = message.content as Partial<M.ExecuteRequest>;
        // As ipykernel: without code the request is dropped; code that is not a string fails, is neither numbered
        // nor stored.
        if (content.code === undefined) {
          writeKernelLog('execute_request without code dropped');
          return;
        }
        if (typeof content.code !== 'string') {
          const evalue = `execute_request code must be a string, got ${typeof content.code} ${JSON.stringify(content.code)?.slice(0, 80)}`;
          await sockets.reply(message, 'execute_reply', { status: 'error', execution_count: kernel.executionCount, ename: 'TypeError', evalue, traceback: [`TypeError: ${evalue}`], user_expressions: {}, payload: [] });
          return;
        }
        if (aborting.has(message)) {
          await sockets.reply(message, 'execute_reply', { status: 'aborted' });
          return;
        }
      }
      const [replyType, handler] = entry;
      let content: object | undefined;
      try {
        content = await handler(message as Message<never>);
      } catch (error) {
        writeKernelLog(`${msgType} failed: ${(error as Error).stack}`);
        content = replyType ? { status: 'error', ename: (error as Error).name, evalue: (error as Error).message, traceback: [] } : undefined;
      }
      if (msgType === 'execute_request') {
        const { silent = false, stop_on_error = true } = message.content as M.ExecuteRequest;
        if ((content as M.ExecuteReply | undefined)?.status === 'error' && stop_on_error && !silent) aborting = new Set(queue);
      }
      if (replyType && content) await sockets.reply(message, replyType, content);
      if (msgType === 'kernel_info_request') kernel.startRuntime();
    } finally {
      kernel.output.flush();
      await sockets.publish('status', { execution_state: 'idle' }, message.header);
    }
  };

  void (async () => {
    for await (const message of sockets.receive(sockets.stdin)) {
      try {
        if (message.header.msg_type === 'input_reply') kernel.inputReply(message as Message<M.InputReply>);
      } catch (error) {
        writeKernelLog(`stdin: ${(error as Error).stack}`);
      }
    }
  })();

  // Shell requests are read as they arrive (so a running cell's queue is known) and answered one at a time, in order:
  // a cell's comm messages and completions wait for it.
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  void (async () => {
    for await (const message of sockets.receive(sockets.shell)) {
      queue.push(message);
      wake?.();
    }
  })();
  for (;;) {
    if (queue.length === 0) {
      aborting.clear();
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      continue;
    }
    const message = queue.shift()!;
    // One bad message is logged and dropped; the loop goes on.
    try {
      await route(message);
    } catch (error) {
      writeKernelLog(`${message.header.msg_type} dropped: ${(error as Error).stack}`);
    }
  }
}
