// The `gcnlab` command line: parses arguments and hands each command its typed options.
import { parseArgs } from 'node:util';
import { GcnlabError } from '../errors.js';
import { benchCommand } from './bench.js';
import { devicesCommand } from './devices.js';
import { scaleCommand } from './scale.js';
import { trainCommand } from './train.js';
import { USAGE, UsageError } from './usage.js';

type Command = (args: string[], out: (line: string) => void) => Promise<number>;

const commands: Record<string, Command> = {
  async devices(args, out) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
    return devicesCommand({ json: values.json! }, out);
  },
  train: trainCommand,
  bench: benchCommand,
  scale: scaleCommand,
};

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

/** Runs one command line; returns the exit code. Bad input prints one clear line to stderr. */
export async function main(argv: string[], out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}': expected one of ${Object.keys(commands).join(', ')}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out(USAGE);
      return 0;
    }
    return await command(rest, out);
  } catch (error) {
    if (error instanceof UsageError || error instanceof GcnlabError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`gcnlab ${name ?? ''}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
