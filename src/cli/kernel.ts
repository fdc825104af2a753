// `gcnlab kernel ...`: handed to the gcnlab-kernel package's installer when it is installed, else told how to get it.
import { Command } from 'commander';
import type { Run } from './run.js';
import { UsageError } from './usage.js';

/** The kernel package's command line (`gcnlab-kernel`), found by the `gcnlab` bin; `name` is what its usage lines call it. */
export type KernelRunner = (args: string[], name?: string) => Promise<number>;

export function kernelCommand(run: Run, kernel: KernelRunner | undefined): Command {
  return new Command('kernel')
    .description('install, uninstall or run the Jupyter kernel (the gcnlab-kernel package); see gcnlab kernel install --help')
    .argument('[args...]', 'passed to gcnlab-kernel: install, uninstall, run')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => {
      if (!kernel) {
        throw new UsageError('the Jupyter kernel is the package gcnlab-kernel: run `npm install gcnlab-kernel`, then `npx gcnlab-kernel install`');
      }
      run.exitCode = await kernel(args, 'gcnlab kernel');
    });
}
