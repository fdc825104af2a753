// `npm start` without JupyterLab's Python packages says exactly what to install (no browser needed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { ROOT } from './lab.ts';

it('npm start names the Python packages to install when they are missing', { timeout: 30_000 }, () => {
  const start = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-browser'], {
    env: { ...process.env, GCNLAB_PYTHON: '/bin/false' },
    encoding: 'utf8',
    timeout: 25_000,
  });
  assert.equal(start.status, 1);
  assert.match(start.stderr, /GCNLAB_PYTHON \(\/bin\/false\) does not import both `jupyter_server` and `jupyterlab_server`/);
  assert.match(start.stderr, /pip install jupyter_server jupyterlab_server/);
  assert.match(start.stderr, /conda install -c conda-forge jupyter_server jupyterlab_server/);
  assert.match(start.stderr, /apt-get install python3-jupyter-server python3-jupyterlab-server/);
});
