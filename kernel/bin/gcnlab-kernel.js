#!/usr/bin/env node
// The `gcnlab-kernel` command: install, uninstall or run the Jupyter kernel (`gcnlab-kernel install --help`).
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
