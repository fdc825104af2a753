// Shared by the kernel tests: build once, install the kernelspec into a temporary prefix, run a Python test script.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const python = '/usr/bin/python3';

export function hasJupyter(): boolean {
  return spawnSync(python, ['-c', 'import jupyter_client, jupyter_kernel_test']).status === 0;
}

/** Installs `gcnlab` into a fresh prefix (never the user's Jupyter) and returns the environment that finds it. */
export function installTemporaryKernel(): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-kernel-'));
  const installed = spawnSync(process.execPath, [join(root, 'bin/gcnlab.js'), 'kernel', 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`kernel install failed: ${installed.stderr}`);
  return {
    // History files (gcnlab's under the Jupyter data directory, IPython's sqlite) go to the prefix too.
    env: {
      ...process.env,
      JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
      JUPYTER_RUNTIME_DIR: join(prefix, 'runtime'),
      JUPYTER_DATA_DIR: join(prefix, 'data'),
      IPYTHONDIR: join(prefix, 'ipython'),
    },
    cleanup: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

/** Runs a Python unittest file from a folder outside the repository (notebooks live anywhere). */
export function runPython(script: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000) {
  const cwd = mkdtempSync(join(tmpdir(), 'gcnlab-notebook-'));
  const result = spawnSync(python, [join(root, 'test/kernel', script), '-v'], { cwd, env, encoding: 'utf8', timeout: timeoutMs });
  rmSync(cwd, { recursive: true, force: true });
  return result;
}
