// `gcnlab kernel install|uninstall [--user | --sys-prefix | --prefix DIR]`: the installer's command line.
import { install, KERNEL_NAME, uninstall, type Location } from './install.js';

const USAGE = `usage: gcnlab kernel install [--user | --sys-prefix | --prefix DIR]
       gcnlab kernel uninstall [--user | --sys-prefix | --prefix DIR]

Installs the Jupyter kernel "TypeScript (gcnlab)" (kernelspec '${KERNEL_NAME}'); default --user.
The kernelspec holds absolute paths to this Node.js and this gcnlab: install again after moving either.`;

function parseLocation(args: string[]): Location {
  let location: Location = { kind: 'user' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--user') location = { kind: 'user' };
    else if (arg === '--sys-prefix') location = { kind: 'sys-prefix' };
    else if (arg === '--prefix' || arg.startsWith('--prefix=')) {
      const dir = arg.includes('=') ? arg.slice('--prefix='.length) : args[++i];
      if (!dir) throw new Error('--prefix needs a folder: gcnlab kernel install --prefix DIR');
      location = { kind: 'prefix', dir };
    } else throw new Error(`unknown option '${arg}'\n${USAGE}`);
  }
  return location;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'install') {
      const dir = install(parseLocation(args));
      process.stdout.write(`installed kernelspec '${KERNEL_NAME}' (TypeScript (gcnlab)) in ${dir}\n`);
      return 0;
    }
    if (command === 'uninstall') {
      const dir = uninstall(parseLocation(args));
      process.stdout.write(dir ? `removed kernelspec '${KERNEL_NAME}' from ${dir}\n` : `no kernelspec '${KERNEL_NAME}' there; nothing to remove\n`);
      return 0;
    }
    if (command === 'run' && args[0]) {
      process.argv[2] = args[0];
      await import('./main.js');
      return 0;
    }
    process.stdout.write(USAGE + '\n');
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  } catch (error) {
    process.stderr.write(`gcnlab kernel: ${(error as Error).message}\n`);
    return 1;
  }
}
