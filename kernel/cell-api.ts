// The globals cells use without importing: display (and its MIME helpers), clearOutput, input, interruptSignal.
// Their types are declared for the compiler in compiler/globals.ts.
import { randomUUID } from 'node:crypto';
import { mimeBundle, PLOTLY_MIME } from './format.js';
import type { CellCommCallbacks, Comms } from './comms.js';
import type { Interrupts } from './interrupts.js';
import type { Output } from './output.js';
import type { Gcnlab } from './runtime.js';
import type { MimeBundle } from './wire/messages.js';

/** Marks display handles: a cell ending in display(...) shows the display once, not the handle too. */
export const DISPLAY_HANDLE = Symbol.for('gcnlab.displayHandle');

export interface CellApiHost {
  output: Output;
  interrupts: Interrupts;
  runtime(): Gcnlab | undefined;
  comms: Comms;
  /** Asks the frontend for a line of text; rejects when the request did not allow stdin. */
  input(prompt: string, password: boolean): Promise<string>;
}

export function installCellApi(host: CellApiHost): void {
  const bundleOf = (value: unknown) => mimeBundle(value, host.runtime());
  const handle = (displayId: string) => {
    const update = (data: MimeBundle) => host.output.display(data, displayId, true);
    return {
      [DISPLAY_HANDLE]: true,
      displayId,
      update: (value: unknown) => update(bundleOf(value)),
      html: (html: string) => update({ 'text/html': html, 'text/plain': html }),
      markdown: (markdown: string) => update({ 'text/markdown': markdown, 'text/plain': markdown }),
      text: (text: string) => update({ 'text/plain': text }),
    };
  };
  const show = (data: MimeBundle, metadata: Record<string, unknown> = {}, displayId: string = randomUUID()) => {
    host.output.display(data, displayId, false, metadata);
    return handle(displayId);
  };
  const display = Object.assign((value: unknown, options: { displayId?: string } = {}) => show(bundleOf(value), {}, options.displayId), {
    html: (html: string) => show({ 'text/html': html, 'text/plain': html }),
    markdown: (markdown: string) => show({ 'text/markdown': markdown, 'text/plain': markdown }),
    svg: (svg: string) => show({ 'image/svg+xml': svg, 'text/plain': 'SVG image' }),
    png: (png: Uint8Array | string) =>
      show({ 'image/png': typeof png === 'string' ? png : Buffer.from(png).toString('base64'), 'text/plain': 'PNG image' }),
    json: (value: unknown) => show({ 'application/json': value, 'text/plain': JSON.stringify(value, null, 2) }, { 'application/json': { expanded: false } }),
    plotly: (figure: { data: unknown[] }) => show({ [PLOTLY_MIME]: figure, 'text/plain': `plotly figure (${figure.data.length} traces)` }),
    text: (text: string) => show({ 'text/plain': text }),
    raw: (bundle: MimeBundle, metadata: Record<string, unknown> = {}) => show(bundle, metadata),
    handle: () => show({ 'text/plain': '' }),
  });
  const globals: Record<string, unknown> = {
    display,
    clearOutput: (wait = false) => host.output.clear(wait),
    openComm: (target: string, data: Record<string, unknown> = {}) => {
      const comm = host.comms.openFromKernel(String(target), data);
      const callbacks: CellCommCallbacks = {};
      host.comms.cellComms.set(comm.id, callbacks);
      return {
        id: comm.id,
        target: comm.target,
        send: (message: Record<string, unknown>, buffers: (ArrayBuffer | ArrayBufferView)[] = []) => comm.send(message, buffers.map(toBuffer)),
        close: () => {
          host.comms.cellComms.delete(comm.id);
          comm.close();
        },
        onMessage: (listener: CellCommCallbacks['onMessage']) => void (callbacks.onMessage = listener),
        onClose: (listener: () => void) => void (callbacks.onClose = listener),
      };
    },
    input: (prompt = '', options: { password?: boolean } = {}) => host.input(String(prompt), Boolean(options.password)),
  };
  for (const [name, value] of Object.entries(globals)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  Object.defineProperty(globalThis, 'interruptSignal', {
    configurable: true,
    get: () => host.interrupts.context.getStore()?.abort.signal ?? AbortSignal.abort(new Error('interruptSignal is only defined while a cell runs')),
  });
}

/** A buffer a cell sends, as ZeroMQ takes it (no copy for views). */
function toBuffer(buffer: ArrayBuffer | ArrayBufferView): Buffer {
  if (ArrayBuffer.isView(buffer)) return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer instanceof ArrayBuffer) return Buffer.from(buffer);
  throw new TypeError(`comm.send buffers must be ArrayBuffers or typed arrays, got ${typeof buffer === 'object' ? Object.prototype.toString.call(buffer) : typeof buffer}`);
}
