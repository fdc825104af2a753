// The message loop: receives on shell and stdin, routes each request to the kernel's handler, wraps it in
// busy/idle status, and sends the reply. It decides nothing else.
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

export async function serve(connection: ConnectionInfo): Promise<void> {
  const sockets = new Sockets(createCodec(connection.key, connection.signature_scheme), writeKernelLog);
  const control = startControlThread(connection);
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
  setInterval(() => kernel.sampleUsage(), 1000).unref();
  void kernel.kernelInfo().then((content) => control.send({ type: 'kernel-info', content: content as unknown as Record<string, unknown> }));

  const handlers: Record<string, [reply: string, handler: Handler]> = {
    kernel_info_request: ['kernel_info_reply', () => kernel.kernelInfo()],
    execute_request: ['execute_reply', (m: Message<M.ExecuteRequest>) => kernel.execute(m)],
    complete_request: ['complete_reply', (m: Message<M.CompleteRequest>) => kernel.complete(m)],
    inspect_request: ['inspect_reply', (m: Message<M.InspectRequest>) => kernel.inspect(m)],
    is_complete_request: ['is_complete_reply', (m: Message<M.IsCompleteRequest>) => kernel.isComplete(m)],
    history_request: ['history_reply', (m: Message<M.HistoryRequest>) => kernel.historyReply(m)],
    comm_info_request: ['comm_info_reply', (m: Message<M.CommInfoRequest>) => kernel.commInfo(m)],
    comm_open: ['', (m: Message<M.CommOpen>) => void kernel.comms.openedByFrontend(m.content.comm_id, m.content.target_name, m.content.data ?? {}, m.header)],
    comm_msg: ['', (m: Message<M.CommMsg>) => void kernel.comms.message(m.content.comm_id, m.content.data ?? {})],
    comm_close: ['', (m: Message<M.CommMsg>) => void kernel.comms.closedByFrontend(m.content.comm_id)],
    shutdown_request: ['shutdown_reply', (m: Message<M.ShutdownRequest>) => {
      setImmediate(() => void shutdown());
      return { status: 'ok', restart: Boolean(m.content.restart) };
    }],
  };

  const route = async (message: Message) => {
    const entry = handlers[message.header.msg_type];
    await sockets.publish('status', { execution_state: 'busy' }, message.header);
    try {
      if (!entry) {
        writeKernelLog(`unsupported shell message '${message.header.msg_type}' ignored`);
        return;
      }
      const [replyType, handler] = entry;
      let content: object | undefined;
      try {
        content = await handler(message as Message<never>);
      } catch (error) {
        writeKernelLog(`${message.header.msg_type} failed: ${(error as Error).stack}`);
        content = replyType ? { status: 'error', ename: (error as Error).name, evalue: (error as Error).message, traceback: [] } : undefined;
      }
      if (replyType && content) await sockets.reply(message, replyType, content);
      if (message.header.msg_type === 'kernel_info_request') kernel.startRuntime();
    } finally {
      kernel.output.flush();
      await sockets.publish('status', { execution_state: 'idle' }, message.header);
    }
  };

  const stdinLoop = (async () => {
    for await (const message of sockets.receive(sockets.stdin)) {
      if (message.header.msg_type === 'input_reply') kernel.inputReply(message as Message<M.InputReply>);
    }
  })();
  // Shell requests are answered one at a time, in order: a cell's comm messages and completions wait for it.
  for await (const message of sockets.receive(sockets.shell)) {
    await route(message);
  }
  await stdinLoop;
}
