// The command line's help text: one place, so --help and errors agree.

export const USAGE = `gcnlab: the seed article's GCN on Cora, on every device TensorFlow.js reaches

Usage:
  gcnlab devices [--json]
  gcnlab train [--dataset cora] [--device D] [--adjacency sparse|dense] [--epochs N] [--seed S] [--threads T] [--json]
  gcnlab bench [--devices a,b] [--adjacency sparse,dense] [--runs R] [--epochs E] [--warmup W] [--threads T] [--json FILE] [--html FILE]
  gcnlab scale [--sizes 10000,100000,1000000] [--devices a,b] [--adjacency sparse,dense] [--epochs E] [--json] [--out FILE]
  gcnlab kernel install [--user | --sys-prefix | --prefix DIR]
  gcnlab kernel uninstall [--user | --sys-prefix | --prefix DIR]

Data: read from $GCNLAB_DATA_DIR (holding cora/ind.cora.*) when set, else downloaded once into the user cache.
Threads: the wasm device's epochs run on --threads T, else $GCNLAB_THREADS, else every core.
Run 'gcnlab <command> --help' for a command's options.`;

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
