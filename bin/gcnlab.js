#!/usr/bin/env node
// The `gcnlab` command: the runtime's CLI; `gcnlab kernel ...` goes to the gcnlab-kernel package where it is installed.
import { existsSync } from 'node:fs';
import { main } from '../dist/src/cli/main.js';

/** The kernel's CLI: this repository's build (dist/kernel), else the installed gcnlab-kernel package, else none. */
async function kernelCli() {
  const local = new URL('../dist/kernel/cli.js', import.meta.url);
  if (existsSync(local)) return (await import(local.href)).main;
  try {
    return (await import('gcnlab-kernel')).main;
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND' && /gcnlab-kernel/.test(error.message)) return undefined;
    throw error;
  }
}

const argv = process.argv.slice(2);
process.exitCode = await main(argv, undefined, argv[0] === 'kernel' ? await kernelCli() : undefined);
