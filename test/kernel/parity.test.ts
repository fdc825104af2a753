// Issue 11's table through jupyter_client, each row measured on gcnlab and, where language-independent, on ipykernel
// in the same run (parity.py): no cell kills the kernel, stop_on_error, silent, user_expressions, comms with buffers,
// history across restarts, is_complete, inspect, control status, usage_request, wire robustness.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { hasJupyter, installTemporaryKernel, python, runPython } from './kernel-harness.js';

const hasIpykernel = spawnSync(python, ['-c', 'import ipykernel']).status === 0;

test('gcnlab behaves as ipykernel on every row of the table', { skip: (!hasJupyter() || !hasIpykernel) && 'python3-jupyter-client or python3-ipykernel is not installed' }, () => {
  const kernel = installTemporaryKernel();
  try {
    const result = runPython('parity.py', kernel.env, 300_000);
    const summary = result.stderr.split('\n').filter((l) => /\.\.\. (ok|FAIL|ERROR|skipped)|^Ran |^OK|^FAILED/.test(l)).join('\n');
    process.stdout.write(summary + '\n');
    assert.equal(result.status, 0, result.stderr.slice(-6000));
  } finally {
    kernel.cleanup();
  }
});
