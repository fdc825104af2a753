#!/usr/bin/env node
// The `gcnlab` command: `gcnlab kernel ...` goes to the Jupyter kernel's installer, the rest to the runtime's CLI.
const [command, ...rest] = process.argv.slice(2);
if (command === 'kernel') {
  const { main } = await import('../dist/kernel/cli.js');
  process.exitCode = await main(rest);
} else {
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
