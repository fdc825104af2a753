// Where cell output goes: stdout/stderr, console and display calls become iopub messages for the cell that made
// them, even when printed later by async code (the execution is found through async context).
import { Console } from 'node:console';
import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { Interrupts } from './interrupts.js';
import type { Header, IopubContents, MimeBundle } from './wire/messages.js';
import type { Sockets } from './wire/sockets.js';

// Bound before capture() replaces process.stderr.write, so kernel logs reach Jupyter's console, never a cell.
const stderrWrite = process.stderr.write.bind(process.stderr);

/** The kernel's own log: what went wrong in the kernel itself, for whoever runs Jupyter. */
export function writeKernelLog(text: string): void {
  stderrWrite(`[gcnlab kernel] ${text}\n`);
}

/** ipykernel's OutStream.flush_interval: how long printed text may wait to be sent with the text after it. */
const FLUSH_INTERVAL_MS = 200;
/** Buffered text past this many characters is sent without waiting. */
const FLUSH_CHARS = 1 << 20;

export class Output {
  /** The request of the last cell started: output from outside any execution goes there. */
  lastParent: Header | undefined;
  private buffers = new Map<string, { parent: Header | undefined; name: 'stdout' | 'stderr'; text: string }>();
  private scheduled = false;
  /** When the oldest text still buffered was written (ms, performance.now()). */
  private bufferedSince = 0;
  private bufferedChars = 0;

  constructor(
    private readonly sockets: Sockets,
    private readonly interrupts: Interrupts,
  ) {}

  /**
   * Where output goes: the cell that started the code printing it while that cell runs; once it has ended, the cell
   * running now (a client shows output only under a cell it still waits for); with none running, its own cell.
   */
  parent(): Header | undefined {
    const own = this.interrupts.context.getStore();
    const running = this.interrupts.current;
    const execution = own && !own.finished ? own : running ?? own;
    return (execution?.parent as Header | undefined) ?? this.lastParent;
  }

  /** Routes process.stdout/stderr and console to the notebook. */
  capture(): void {
    // One decoder per stream: a UTF-8 character split over two writes of bytes is decoded whole.
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const write = (name: 'stdout' | 'stderr', chunk: string | Uint8Array) =>
      this.stream(name, typeof chunk === 'string' ? chunk : decoders[name].write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    const stream = (name: 'stdout' | 'stderr') =>
      new Writable({
        decodeStrings: false,
        write: (chunk: Buffer | string, _encoding, done) => {
          write(name, chunk);
          done();
        },
      });
    const stdout = stream('stdout');
    const stderr = stream('stderr');
    for (const [target, name] of [[process.stdout, 'stdout'], [process.stderr, 'stderr']] as const) {
      (target as { write: unknown }).write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
        write(name, chunk);
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      };
    }
    globalThis.console = new Console({ stdout, stderr, colorMode: false });
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    const parent = this.parent();
    const key = `${parent?.msg_id}:${name}`;
    const buffer = this.buffers.get(key);
    if (buffer) buffer.text += text;
    else this.buffers.set(key, { parent, name, text });
    const now = performance.now();
    if (this.bufferedChars === 0) this.bufferedSince = now;
    this.bufferedChars += text.length;
    // A cell that never yields (a synchronous loop printing progress) still shows its output as it goes, as
    // ipykernel's does: text older than its flush interval, or past a size, goes now; the iopub socket is served by
    // the control thread, so it leaves while this thread stays busy.
    if (now - this.bufferedSince >= FLUSH_INTERVAL_MS || this.bufferedChars >= FLUSH_CHARS) {
      this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends buffered stream text; called before anything else is published so order is kept. */
  flush(): void {
    this.scheduled = false;
    const buffers = this.buffers;
    if (buffers.size === 0) return;
    this.buffers = new Map();
    this.bufferedChars = 0;
    for (const { parent, name, text } of buffers.values()) void this.sockets.publish('stream', { name, text }, parent);
  }

  publish<T extends keyof IopubContents>(msgType: T, content: IopubContents[T], parent = this.parent(), buffers: Buffer[] = []): Promise<void> {
    this.flush();
    return this.sockets.publish(msgType, content, parent, buffers);
  }

  display(data: MimeBundle, displayId?: string, update = false, metadata: Record<string, unknown> = {}): void {
    void this.publish(update ? 'update_display_data' : 'display_data', { data, metadata, transient: displayId ? { display_id: displayId } : {} });
  }

  clear(wait: boolean): void {
    void this.publish('clear_output', { wait });
  }
}
