// `npm run bench:kernel`: installs the kernel into a temporary prefix and times it beside ipykernel (bench.py).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-bench-'));
try {
  const install = spawnSync(process.execPath, [join(root, 'bin/gcnlab.js'), 'kernel', 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(install.stderr);
  const jupyterPath = [join(prefix, 'share/jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(':');
  const result = spawnSync('/usr/bin/python3', [join(root, 'test/kernel/bench.py'), ...process.argv.slice(2)], {
    cwd: prefix,
    env: { ...process.env, JUPYTER_PATH: jupyterPath },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // Stamped with when and where, like every benchmark result kept in bench/results/.
  let output = result.stdout;
  try {
    const measured = JSON.parse(result.stdout);
    output = `${JSON.stringify({ date: new Date().toISOString(), machine: { cpu: os.cpus()[0]?.model.trim(), cores: os.availableParallelism(), node: process.version }, ...measured }, null, 2)}\n`;
  } catch {
    // not JSON: pass it through as it is, the exit code tells
  }
  process.stdout.write(output);
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(prefix, { recursive: true, force: true });
}
