// The JupyterLab debugger's conversation through jupyter_client (debugger.py), on gcnlab and on ipykernel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasJupyter, installTemporaryKernel, runPython } from './kernel-harness.js';

for (const flag of ['', '0']) {
  test(`debugger protocol through jupyter_client (GCNLAB_DEBUGGER=${flag || 'unset'}: ${flag === '0' ? 'not advertised' : 'advertised'})`, { skip: !hasJupyter() && 'python3-jupyter-client is not installed' }, () => {
    const kernel = installTemporaryKernel();
    try {
      const env = { ...kernel.env, GCNLAB_DEBUGGER: flag };
      const result = runPython('debugger.py', env, 180_000);
      process.stdout.write(result.stderr.split('\n').filter((l) => /ok$|FAIL|ERROR|skipped|Ran/.test(l)).join('\n') + '\n');
      assert.equal(result.status, 0, result.stderr.slice(-4000));
    } finally {
      kernel.cleanup();
    }
  });
}
