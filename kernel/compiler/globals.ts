// The names every cell sees without importing them, declared for the type checker (defined by kernel/cell-api.ts).

export const GLOBALS_MODULE = '__gcnlab_kernel_globals__';

export const GLOBALS_DECLARATIONS = `
declare global {
  /** A MIME bundle: keys are MIME types ('text/html', 'image/png', ...), values what Jupyter expects for each. */
  type MimeBundle = Record<string, unknown>;
  /** A display you can update in place (a progress line while training) or clear. */
  interface DisplayHandle {
    readonly displayId: string;
    /** Replaces what this display shows with \`value\` (any value display() accepts). */
    update(value: unknown): void;
    html(html: string): void;
    markdown(markdown: string): void;
    text(text: string): void;
  }
  interface Display {
    /** Shows \`value\` as rich output: plotly figures, tensors, benchmark results, objects with toMimeBundle(). */
    (value: unknown, options?: { displayId?: string }): DisplayHandle;
    html(html: string): DisplayHandle;
    markdown(markdown: string): DisplayHandle;
    svg(svg: string): DisplayHandle;
    /** Bytes or base64 text of a PNG image. */
    png(png: Uint8Array | string): DisplayHandle;
    json(value: unknown): DisplayHandle;
    /** A plotly figure: { data: [...], layout: {...} }. */
    plotly(figure: { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> }): DisplayHandle;
    text(text: string): DisplayHandle;
    /** A MIME bundle as is. */
    raw(bundle: MimeBundle, metadata?: Record<string, unknown>): DisplayHandle;
    /** A display that starts empty, to fill and update later. */
    handle(): DisplayHandle;
  }
  const display: Display;
  /** Clears this cell's output; with wait, only once new output arrives (no flicker). */
  function clearOutput(wait?: boolean): void;
  /** Asks the notebook user for a line of text. */
  function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
  /** A comm the kernel opened to the frontend's target (for 'gcnlab.timing', the kernel also publishes to it). */
  interface KernelComm {
    readonly id: string;
    readonly target: string;
    /** Sends \`data\` and, beside it, binary \`buffers\` (they reach the frontend as the message's buffers). */
    send(data: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): void;
    close(): void;
    /** \`buffers\`: the binary buffers the frontend sent with the message (Node Buffers). */
    onMessage(listener: (data: Record<string, unknown>, buffers: Uint8Array[]) => void): void;
    onClose(listener: () => void): void;
  }
  /** Opens a comm from the kernel to the frontend's comm target \`target\`. */
  function openComm(target: string, data?: Record<string, unknown>): KernelComm;
  /** Aborted when the user interrupts the running cell: pass it to anything that accepts an AbortSignal. */
  const interruptSignal: AbortSignal;
}
export {};
`;
