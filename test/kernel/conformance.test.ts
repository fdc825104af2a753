// jupyter_kernel_test (the Jupyter kernel conformance suite) passes against the gcnlab kernel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasJupyter, installTemporaryKernel, runPython } from './kernel-harness.js';

test('jupyter_kernel_test passes with every applicable sample', { skip: !hasJupyter() && 'python3-jupyter-kernel-test is not installed' }, () => {
  const kernel = installTemporaryKernel();
  try {
    const result = runPython('conformance.py', kernel.env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /OK \(skipped=1\)/, 'only the pager test (no pager payloads in TypeScript) may skip');
  } finally {
    kernel.cleanup();
  }
});
