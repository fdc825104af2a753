// The kernel process: `node dist/kernel/main.js CONNECTION_FILE`, as the kernelspec's argv starts it.
import { serve } from './server.js';
import { readConnectionFile } from './wire/connection.js';

// vm's default-loader import is experimental in Node 20; its one-time warning is noise in a notebook.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/USE_MAIN_CONTEXT_DEFAULT_LOADER|importModuleDynamically/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/kernel/main.js CONNECTION_FILE (Jupyter passes it; install the kernel with `gcnlab kernel install`)\n');
  process.exit(2);
}
await serve(readConnectionFile(file));
