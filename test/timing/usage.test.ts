// The timing channel and usage_request through jupyter_client while a training cell runs with another queued.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATA_DIR } from '../helpers/data-dir.ts';
import { hasJupyter, installTemporaryKernel, python, root } from '../kernel/kernel-harness.js';

test('usage_request and gcnlab_timing_request are answered while a training cell runs', { skip: !hasJupyter() && 'python3-jupyter-client is not installed', timeout: 300_000 }, () => {
  const kernel = installTemporaryKernel();
  try {
    const result = spawnSync(python, [join(root, 'test', 'timing', 'timing.py'), '-v'], {
      env: { ...kernel.env, GCNLAB_DATA_DIR: DATA_DIR },
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(result.status, 0, result.stderr.slice(-4000));
  } finally {
    kernel.cleanup();
  }
});
