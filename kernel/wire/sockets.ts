// The main thread's ZeroMQ sockets (shell, stdin; control, heartbeat and iopub live in the control thread) and the
// three verbs: reply to a request, publish on iopub (signed here, sent by the control thread), ask on stdin.
import * as zmq from 'zeromq';
import { BadSignatureError, ReplayedMessageError, type Codec } from './codec.js';
import { endpoint, type ConnectionInfo } from './connection.js';
import type { Header, IopubContents, Message } from './messages.js';

export class Sockets {
  readonly shell = new zmq.Router();
  readonly stdin = new zmq.Router();
  private shellQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly codec: Codec,
    private readonly log: (text: string) => void,
    /** Hands signed iopub frames to the thread that owns the iopub socket. */
    private readonly sendIopub: (frames: Buffer[]) => void,
  ) {}

  async bind(info: ConnectionInfo): Promise<void> {
    await Promise.all([
      this.shell.bind(endpoint(info, info.shell_port)),
      this.stdin.bind(endpoint(info, info.stdin_port)),
    ]);
  }

  /** Decoded, signature-checked messages of a ROUTER socket; bad ones are logged and dropped. */
  async *receive(socket: zmq.Router): AsyncGenerator<Message> {
    for await (const frames of socket) {
      try {
        yield this.codec.decode(frames);
      } catch (error) {
        this.log(error instanceof BadSignatureError || error instanceof ReplayedMessageError ? error.message : `dropped a malformed message: ${(error as Error).message}`);
      }
    }
  }

  reply(request: Message, msgType: string, content: object, metadata: Record<string, unknown> = {}): Promise<void> {
    const frames = this.codec.encode({ identities: request.identities, header: this.codec.header(msgType), parent_header: request.header, metadata, content: content as Record<string, unknown> });
    const send = this.shellQueue.then(() => this.shell.send(frames));
    this.shellQueue = send.catch(() => undefined);
    return send;
  }

  /** Resolves once handed over: the control thread sends in order, whatever this thread does next. */
  publish<T extends keyof IopubContents>(msgType: T, content: IopubContents[T], parent?: Header, buffers: Buffer[] = []): Promise<void> {
    return this.publishOwn(msgType, content, parent, buffers);
  }

  /** A message type of gcnlab's own, outside the Jupyter protocol (the timing panel's batches), sent as publish sends. */
  publishOwn(msgType: string, content: object, parent?: Header, buffers: Buffer[] = []): Promise<void> {
    this.sendIopub(
      this.codec.encode({
        identities: [Buffer.from(`kernel.${msgType}`)],
        header: this.codec.header(msgType),
        parent_header: parent ?? {},
        metadata: {},
        content: content as Record<string, unknown>,
        buffers,
      }),
    );
    return Promise.resolve();
  }

  /** Sends an input_request to the client that sent `request`. */
  askInput(request: Message<object>, prompt: string, password: boolean): Promise<void> {
    return this.stdin.send(
      this.codec.encode({ identities: request.identities, header: this.codec.header('input_request'), parent_header: request.header, metadata: {}, content: { prompt, password } }),
    );
  }

  close(): void {
    for (const socket of [this.shell, this.stdin]) socket.close();
  }
}
