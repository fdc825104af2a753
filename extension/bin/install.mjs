#!/usr/bin/env node
// Installs the prebuilt gcnlab-jupyterlab extension into a Jupyter data directory's labextensions/, where any
// JupyterLab 4 finds it at start-up (no rebuild of JupyterLab needed). Builds it first when it is missing.
//   node extension/bin/install.mjs [--user | --sys-prefix | --prefix DIR | --data-dir DIR] [--uninstall]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const prebuilt = join(packageDir, 'prebuilt', name);

const { values: options } = parseArgs({
  options: {
    user: { type: 'boolean', default: false },
    'sys-prefix': { type: 'boolean', default: false },
    prefix: { type: 'string' },
    'data-dir': { type: 'string' },
    uninstall: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log('Usage: node extension/bin/install.mjs [--user | --sys-prefix | --prefix DIR | --data-dir DIR] [--uninstall]');
  process.exit(0);
}

function fail(message) {
  console.error(`gcnlab-jupyterlab: ${message}`);
  process.exit(1);
}

/** Asks Jupyter where its data lives, the same way `jupyter labextension` would. */
function jupyterDataDir() {
  const where = options['sys-prefix'] ? 'sys.prefix + "/share/jupyter"' : 'jupyter_core.paths.jupyter_data_dir()';
  for (const python of [process.env.GCNLAB_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean)) {
    const probe = spawnSync(python, ['-c', `import sys, jupyter_core.paths; print(${where})`], { encoding: 'utf8' });
    if (probe.status === 0) return probe.stdout.trim();
  }
  fail('no Python with jupyter_core was found to tell where Jupyter keeps its data; pass --data-dir DIR or --prefix DIR.');
}

const dataDir = options['data-dir']
  ? resolve(options['data-dir'])
  : options.prefix
    ? join(resolve(options.prefix), 'share', 'jupyter')
    : jupyterDataDir();
const target = join(dataDir, 'labextensions', name);

if (options.uninstall) {
  rmSync(target, { recursive: true, force: true });
  console.log(`gcnlab-jupyterlab: removed ${target}`);
  process.exit(0);
}

if (!existsSync(join(prebuilt, 'package.json'))) {
  const build = spawnSync('bash', [join(packageDir, '..', 'scripts', 'build-lab.sh')], { stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(prebuilt, 'package.json'))) fail(`building ${prebuilt} failed (see above).`);
}
rmSync(target, { recursive: true, force: true });
cpSync(prebuilt, target, { recursive: true, filter: (path) => !path.endsWith('build_log.json') });
console.log(`gcnlab-jupyterlab: installed into ${target}\nRestart JupyterLab 4 to load it (\`jupyter labextension list\` shows it).`);
