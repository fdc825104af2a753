// `gcnlab-kernel install|uninstall|run` (also `gcnlab kernel ...`): the kernel installer's command line, on commander.
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { DISPLAY_NAME, install, InstallError, KERNEL_NAME, uninstall, type InstallOptions, type Location } from './install.js';

interface LocationFlags {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  name: string;
  displayName?: string;
  python?: string;
}

const { version } = createRequire(import.meta.url)('gcnlab-kernel/package.json') as { version: string };

/** How the location flags' help reads for a verb: "install ... in/into", "remove ... from". */
interface Wording {
  verb: string;
  /** Before Jupyter's user data folder. */
  atUser: string;
  /** Before a prefix's folder. */
  atPrefix: string;
}

const INSTALL: Wording = { verb: 'install', atUser: 'in', atPrefix: 'into' };
const UNINSTALL: Wording = { verb: 'remove', atUser: 'from', atPrefix: 'from' };

/** The three places, mutually exclusive as in ipykernel: commander refuses any two together. */
function locationOptions(command: Command, { verb, atUser, atPrefix }: Wording): Command {
  return command
    .addOption(new Option('--user', `${verb} for this user, ${atUser} Jupyter's user data folder (the default)`).conflicts(['sysPrefix', 'prefix']))
    .addOption(new Option('--sys-prefix', `${verb} ${atPrefix} the sys.prefix of the Python that runs Jupyter`).conflicts(['prefix']))
    .addOption(new Option('--prefix <dir>', `${verb} ${atPrefix} DIR/share/jupyter/kernels`))
    .addOption(new Option('--name <name>', 'kernelspec name').default(KERNEL_NAME))
    .addOption(
      new Option('--python <py>', "Jupyter's Python (default: $GCNLAB_PYTHON, else the one that starts `jupyter` on PATH)").conflicts(['prefix']),
    );
}

function toOptions(flags: LocationFlags): InstallOptions {
  const location: Location = flags.prefix !== undefined ? { kind: 'prefix', dir: flags.prefix } : flags.sysPrefix ? { kind: 'sys-prefix' } : { kind: 'user' };
  return { location, name: flags.name, displayName: flags.displayName, python: flags.python };
}

function program(write: (line: string) => void, name: string): Command {
  const root = new Command(name)
    .description('the Jupyter kernel "TypeScript (gcnlab)": install its kernelspec, remove it, or run it')
    .version(version, '-V, --version', 'print the version');
  root.addCommand(
    locationOptions(new Command('install'), INSTALL)
      .description(`install the kernelspec '${KERNEL_NAME}' ("${DISPLAY_NAME}"); it holds absolute paths to this Node.js and this package: install again after moving either`)
      .addOption(new Option('--display-name <text>', 'the name Jupyter shows').default(DISPLAY_NAME))
      .action((flags: LocationFlags) => {
        const dir = install(toOptions(flags));
        write(`installed kernelspec '${flags.name}' (${flags.displayName ?? DISPLAY_NAME}) in ${dir}`);
      }),
  );
  root.addCommand(
    locationOptions(new Command('uninstall'), UNINSTALL)
      .description('remove the kernelspec')
      .action((flags: LocationFlags) => {
        const dir = uninstall(toOptions(flags));
        write(dir ? `removed kernelspec '${flags.name}' from ${dir}` : `no kernelspec '${flags.name}' there; nothing to remove`);
      }),
  );
  root.addCommand(
    new Command('run')
      .description('run the kernel on a connection file (what kernel.json tells Jupyter to do)')
      .argument('<connection-file>')
      .action(async (file: string) => {
        process.argv[2] = file;
        await import('./main.js');
      }),
  );
  return root;
}

/**
 * Runs the installer's command line; returns the exit code (2 and one line on stderr for bad input). `name` is the
 * command as the user typed it, for the usage lines: `gcnlab kernel` when the gcnlab CLI hands over.
 */
export async function main(argv: string[], name = 'gcnlab-kernel'): Promise<number> {
  const cli = program((line) => process.stdout.write(`${line}\n`), name);
  for (const command of [cli, ...cli.commands]) {
    command.exitOverride().configureOutput({ outputError: () => undefined });
  }
  if (argv.length === 0) {
    process.stderr.write(cli.helpInformation());
    return 2;
  }
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return 0;
      const [first, suggestion] = error.message.replace(/^error: /, '').split('\n');
      const valid = cli.commands.find((c) => c.name() === argv[0])?.options.map((o) => o.long) ?? cli.commands.map((c) => c.name());
      const extra = error.code === 'commander.unknownOption' || error.code === 'commander.unknownCommand' ? `; valid: ${valid.join(', ')}` : '';
      process.stderr.write(`gcnlab kernel: ${first}${suggestion ? ` ${suggestion.toLowerCase()}` : ''}${extra}\n`);
      return 2;
    }
    if (error instanceof InstallError) {
      process.stderr.write(`gcnlab kernel: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
