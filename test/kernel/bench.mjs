// `npm run bench:kernel`: installs the kernel into a temporary prefix and times it beside ipykernel (bench.py).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  process.stdout.write(result.stdout);
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(prefix, { recursive: true, force: true });
}
