// The `gcnlab` command line on commander: every command with its options and defaults, bad input as one line.
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { GcnlabError } from '../errors.js';
import { benchCommand } from './bench.js';
import { devicesCommand } from './devices.js';
import { kernelCommand, type KernelRunner } from './kernel.js';
import { scaleCommand } from './scale.js';
import { trainCommand } from './train.js';
import { USAGE_EXIT, UsageError } from './usage.js';

/** Where commands print their results (stdout by default; tests pass their own). */
import type { Out, Run } from './run.js';

export type { Out, Run };

const { version } = createRequire(import.meta.url)('gcnlab/package.json') as { version: string };

const DATA_NOTE = `
Data: read from $GCNLAB_DATA_DIR (holding cora/ind.cora.*) when set, else from the copy of Cora inside gcnlab, else
downloaded once into the user cache. Threads: the wasm device's epochs run on --threads T, else $GCNLAB_THREADS,
else every core. Bad input exits with status 2 and one line; 'gcnlab <command> --help' lists a command's options.`;

function program(run: Run, kernel: KernelRunner | undefined): Command {
  const root = new Command('gcnlab')
    .description("the seed article's GCN on Cora, on every device TensorFlow.js reaches")
    .version(version, '-V, --version', 'print the version')
    .enablePositionalOptions()
    .addHelpText('after', DATA_NOTE);
  for (const command of [devicesCommand(run), trainCommand(run), benchCommand(run), scaleCommand(run), kernelCommand(run, kernel)]) {
    root.addCommand(command);
  }
  for (const command of [root, ...root.commands]) {
    command
      .exitOverride((error) => {
        throw new CommandLineError(command, error);
      })
      .configureOutput({
        writeOut: (text) => run.out(text.replace(/\n$/, '')),
        writeErr: (text) => process.stderr.write(text),
        outputError: () => undefined, // printed once, as one line, by main
      })
      .showHelpAfterError(false);
  }
  return root;
}

/** Commander's own refusal, with the command it came from (to list that command's options). */
class CommandLineError extends Error {
  constructor(
    readonly command: Command,
    readonly refusal: CommanderError,
  ) {
    super(refusal.message);
  }
}

/**
 * Commander's message made one line: "error: " dropped, its suggestion kept, an unknown option's valid ones listed,
 * an argument too many named (with the switch before it, which takes no value: `--json ''`).
 */
function oneLine(error: CommandLineError, argv: string[]): string {
  const [first, suggestion] = error.refusal.message.replace(/^error: /, '').split('\n');
  const hint = suggestion ? ` (${suggestion.replace(/^\(|\)$/g, '').replace(/^Did/, 'did')})` : '';
  if (error.refusal.code === 'commander.unknownOption') {
    const valid = error.command.options.map((o) => o.long).filter(Boolean);
    return `${first}${hint}; valid options: ${[...valid, '--help'].join(', ')}`;
  }
  if (error.refusal.code === 'commander.excessArguments') {
    const command = error.command;
    const extra = command.args.slice(command.registeredArguments.length);
    const at = argv.indexOf(extra[0]);
    const before = at > 0 ? command.options.find((o) => o.long === argv[at - 1] || o.short === argv[at - 1]) : undefined;
    const takes = command.registeredArguments.length === 0 ? 'takes options only' : `takes ${command.registeredArguments.length} argument(s)`;
    const why = before && !before.required && !before.optional ? `; ${before.long} is a switch and takes no value` : '';
    return `unexpected argument ${extra.map((a) => JSON.stringify(a)).join(', ')}: 'gcnlab ${command.name()}' ${takes}${why} ('gcnlab ${command.name()} --help' lists them)`;
  }
  if (error.refusal.code === 'commander.unknownCommand') {
    return `${first}${hint}; commands: ${error.command.commands.map((c) => c.name()).join(', ')}`;
  }
  return `${first}${hint}`;
}

/** Runs one command line; returns the exit code. Bad input prints one clear line to stderr and gives 2. */
export async function main(argv: string[], out: Out = (line) => console.log(line), kernel?: KernelRunner): Promise<number> {
  const run: Run = { out, exitCode: 0 };
  const cli = program(run, kernel);
  if (argv.length === 0) {
    process.stderr.write(cli.helpInformation());
    return USAGE_EXIT;
  }
  const known = (word: string | undefined) => cli.commands.some((c) => c.name() === word);
  const name = known(argv[0]) ? `gcnlab ${argv[0]}` : 'gcnlab';
  // `gcnlab help trian` is refused as `gcnlab trian` is (commander would print the whole help and exit 1).
  const args = argv[0] === 'help' && argv.length > 1 && !known(argv[1]) ? argv.slice(1) : argv;
  try {
    await cli.parseAsync(args, { from: 'user' });
    return run.exitCode;
  } catch (error) {
    if (error instanceof CommandLineError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.refusal.code)) return error.refusal.exitCode;
      process.stderr.write(`${error.command.name() === 'gcnlab' ? 'gcnlab' : `gcnlab ${error.command.name()}`}: ${oneLine(error, args)}\n`);
      return USAGE_EXIT;
    }
    if (error instanceof UsageError || error instanceof GcnlabError) {
      process.stderr.write(`${name}: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return USAGE_EXIT;
    }
    throw error;
  }
}
