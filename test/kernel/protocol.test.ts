// Protocol behaviour through jupyter_client: comms both ways, interrupts keep state and stop only their cell, stdin,
// restart, errors, bad signatures, memory over 200 executions, magics, ESM-only packages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasJupyter, installTemporaryKernel, runPython } from './kernel-harness.js';

test('protocol tests through jupyter_client pass', { skip: !hasJupyter() && 'python3-jupyter-client is not installed' }, () => {
  const kernel = installTemporaryKernel();
  try {
    const result = runPython('protocol.py', kernel.env);
    const summary = result.stderr.split('\n').filter((l) => /ok$|FAIL|ERROR|skipped|executions/.test(l)).join('\n');
    process.stdout.write(summary + '\n' + result.stdout.split('\n').filter((l) => /executions/.test(l)).join('\n') + '\n');
    assert.equal(result.status, 0, result.stderr.slice(-4000));
  } finally {
    kernel.cleanup();
  }
});
