// Keeps the kernel alive whatever a cell does: errors no cell awaited (unhandled rejections, exceptions thrown by
// timers and other later callbacks) become error outputs, and process.exit in a cell raises SystemExit there.
import { errorContent, type CellSource } from './format.js';
import type { Interrupts } from './interrupts.js';
import type { Output } from './output.js';
import type { Header } from './wire/messages.js';

/** What `process.exit()` raises in cell code: catchable, like Python's sys.exit in ipykernel. */
export class SystemExit extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(
      `process.exit(${code ?? ''}) was called in a cell; the kernel keeps running and keeps its variables ` +
        `(to end it, shut the kernel down or restart it from the notebook)`,
    );
    this.name = 'SystemExit';
  }
}

/** What stops a cell whose JS heap nears V8's limit, past which Node ends the process (it cannot be caught). */
export class HeapLimitError extends Error {
  constructor(usedBytes: number, limitBytes: number) {
    const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
    super(
      `the JS heap holds ${mib(usedBytes)} of V8's ${mib(limitBytes)} limit: the cell was stopped before Node would end the kernel; ` +
        `free memory (tensor.dispose(), tf.tidy, drop large arrays) or restart the kernel`,
    );
    this.name = 'HeapLimitError';
  }
}

/**
 * Share of V8's heap limit past which the running cell is stopped. V8 gives up when the heap it has reserved (not only
 * what is live) reaches the limit, which here happened with 70% live and 92% reserved: both are watched.
 */
export const HEAP_STOP_FRACTION = 0.8;

/**
 * Share of V8's heap limit by which the running cell must have grown the heap (live bytes, from its start) to be
 * stopped: a cell that frees what an earlier one hoarded (`hoard.length = 0`) runs while the heap is still above
 * HEAP_STOP_FRACTION, since V8 gives the memory back only at its next collection.
 */
export const HEAP_STOP_GROWTH_FRACTION = 0.05;

/** The kernel's own way out (shutdown): process.exit as Node had it before cells could call it. */
export const exitKernel: (code?: number) => never = process.exit.bind(process);

export interface GuardHost {
  output: Output;
  interrupts: Interrupts;
  cells: Map<string, CellSource>;
  log(text: string): void;
}

/**
 * From here on no error of cell code ends the process. An error appears under the cell that started the callback it
 * came from while that cell runs, else under the cell running now (Output.parent); with no cell to show it in, only
 * the kernel log gets it.
 */
export function guardProcess(host: GuardHost): void {
  const report = (error: unknown, what: string) => {
    const parent: Header | undefined = host.interrupts.context.getStore() || host.interrupts.current ? host.output.parent() : undefined;
    const content = errorContent(error, host.cells);
    if (!parent) {
      host.log(`${what} outside any cell: ${content.traceback.join('\n')}`);
      return;
    }
    content.traceback.unshift(`${what} (the kernel keeps running):`);
    void host.output.publish('error', content, parent);
  };
  process.on('unhandledRejection', (reason) => report(reason, 'Unhandled promise rejection (a promise nobody awaited or caught)'));
  process.on('uncaughtException', (error) => report(error, 'Uncaught exception in a callback'));
  process.exit = ((code?: number | string | null) => {
    throw new SystemExit(code);
  }) as typeof process.exit;
}
