#!/usr/bin/env node
// The `gcnlab` command: runs the compiled command-line entry point.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
