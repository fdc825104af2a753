// The kernel's ZeroMQ sockets (shell, iopub, stdin; control and heartbeat live in the control thread) and the
// three verbs on them: reply to a request, publish on iopub, ask on stdin.
import * as zmq from 'zeromq';
import { BadSignatureError, type Codec } from './codec.js';
import { endpoint, type ConnectionInfo } from './connection.js';
import type { Header, Message } from './messages.js';

export class Sockets {
  readonly shell = new zmq.Router();
  readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  /** iopub sends are serialised: ZeroMQ sockets take one send at a time. */
  private iopubQueue: Promise<unknown> = Promise.resolve();
  private shellQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly codec: Codec,
    private readonly log: (text: string) => void,
  ) {}

  async bind(info: ConnectionInfo): Promise<void> {
    await Promise.all([
      this.shell.bind(endpoint(info, info.shell_port)),
      this.stdin.bind(endpoint(info, info.stdin_port)),
      this.iopub.bind(endpoint(info, info.iopub_port)),
    ]);
  }

  /** Decoded, signature-checked messages of a ROUTER socket; bad ones are logged and dropped. */
  async *receive(socket: zmq.Router): AsyncGenerator<Message> {
    for await (const frames of socket) {
      try {
        yield this.codec.decode(frames);
      } catch (error) {
        this.log(error instanceof BadSignatureError ? error.message : `dropped a malformed message: ${(error as Error).message}`);
      }
    }
  }

  reply(request: Message, msgType: string, content: object, metadata: Record<string, unknown> = {}): Promise<void> {
    const frames = this.codec.encode({ identities: request.identities, header: this.codec.header(msgType), parent_header: request.header, metadata, content: content as Record<string, unknown> });
    const send = this.shellQueue.then(() => this.shell.send(frames));
    this.shellQueue = send.catch(() => undefined);
    return send;
  }

  publish(msgType: string, content: object, parent?: Header, metadata: Record<string, unknown> = {}): Promise<void> {
    const frames = this.codec.encode({
      identities: [Buffer.from(`kernel.${msgType}`)],
      header: this.codec.header(msgType),
      parent_header: parent ?? {},
      metadata,
      content: content as Record<string, unknown>,
    });
    const send = this.iopubQueue.then(() => this.iopub.send(frames));
    this.iopubQueue = send.catch((error) => this.log(`iopub: ${(error as Error).message}`));
    return send;
  }

  /** Sends an input_request to the client that sent `request`. */
  askInput(request: Message<object>, prompt: string, password: boolean): Promise<void> {
    return this.stdin.send(
      this.codec.encode({ identities: request.identities, header: this.codec.header('input_request'), parent_header: request.header, metadata: {}, content: { prompt, password } }),
    );
  }

  close(): void {
    for (const socket of [this.shell, this.stdin, this.iopub]) socket.close();
  }
}
