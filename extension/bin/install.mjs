#!/usr/bin/env node
// Installs the prebuilt gcnlab-jupyterlab extension into a Jupyter data directory's labextensions/, where any
// JupyterLab 4 finds it at start-up (no rebuild of JupyterLab needed). Builds it first when it is missing.
//   node extension/bin/install.mjs [--user | --sys-prefix | --prefix DIR | --data-dir DIR] [--python PY] [--uninstall]
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const prebuilt = join(packageDir, 'prebuilt', name);

const USAGE = 'Usage: node extension/bin/install.mjs [--user | --sys-prefix | --prefix DIR | --data-dir DIR] [--python PY] [--uninstall]';
const OPTIONS = {
  user: { type: 'boolean', default: false },
  'sys-prefix': { type: 'boolean', default: false },
  prefix: { type: 'string' },
  'data-dir': { type: 'string' },
  python: { type: 'string' },
  uninstall: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};
const LOCATIONS = ['user', 'sys-prefix', 'prefix', 'data-dir'];

/** A bad request or a Python that cannot answer: one line, exit status 2. */
function refuse(message) {
  console.error(`gcnlab-jupyterlab: ${message}`);
  process.exit(2);
}

function fail(message) {
  console.error(`gcnlab-jupyterlab: ${message}`);
  process.exit(1);
}

let options;
try {
  options = parseArgs({ options: OPTIONS, strict: true, allowPositionals: false }).values;
} catch (error) {
  if (!String(error.code).startsWith('ERR_PARSE_ARGS_')) throw error;
  const valid = Object.entries(OPTIONS).map(([flag, { type }]) => `--${flag}${type === 'string' ? ` ${flag === 'python' ? 'PY' : 'DIR'}` : ''}`);
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) refuse(`unknown option '${unknown[1]}'; valid: ${valid.join(', ')}`);
  refuse(`${error.message.split('\n')[0].replace(/\.$/, '')}; ${USAGE}`);
}
if (options.help) {
  console.log(USAGE);
  console.log('  --python PY: the Python that runs Jupyter (default: $GCNLAB_PYTHON, else the one that starts `jupyter` on PATH)');
  process.exit(0);
}
const given = LOCATIONS.filter((flag) => options[flag] !== undefined && options[flag] !== false);
if (given.length > 1) refuse(`--${given[0]} and --${given[1]} cannot be used together: choose one location`);
// As in the kernel installer: a prefix or data folder is named outright, so no Python is asked.
const named = given.find((flag) => flag === 'prefix' || flag === 'data-dir');
if (named && options.python !== undefined) refuse(`--python and --${named} cannot be used together: --${named} names the folder, no Python is asked`);
for (const flag of ['prefix', 'data-dir']) {
  if (options[flag] !== undefined && options[flag].trim() === '') refuse(`--${flag} '${options[flag]}' names no folder`);
}

// The Python that runs Jupyter, chosen as the kernel installer chooses it (kernel/install.ts, choosePython and
// onPath): --python, else $GCNLAB_PYTHON, else the interpreter that the `jupyter` on PATH starts. Mirrored, not
// imported: this package ships alone, without the kernel package's code.
function choosePython(given) {
  if (given) return { python: given, from: '--python' };
  if (process.env.GCNLAB_PYTHON) return { python: process.env.GCNLAB_PYTHON, from: 'GCNLAB_PYTHON' };
  const jupyter = onPath('jupyter');
  if (!jupyter) return undefined;
  // A pip/conda/apt console script starts with the interpreter that owns it: `#!/abs/python` or `#!/usr/bin/env python3`.
  const firstLine = readFileSync(jupyter).subarray(0, 512).toString('utf8').split('\n')[0];
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (!shebang) return undefined;
  const interpreter = basename(shebang[1]) === 'env' && shebang[2] ? onPath(shebang[2]) : shebang[1];
  return interpreter ? { python: interpreter, from: `the jupyter on PATH (${jupyter})` } : undefined;
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir || '.', command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Asks the chosen Python where its Jupyter looks (kernel/install.ts, askPython): sys.prefix, and jupyter_core's user data dir. */
function askPython(chosen) {
  const code = [
    'import json, sys',
    'out = {"prefix": sys.prefix}',
    'try:',
    '    from jupyter_core.paths import jupyter_data_dir',
    '    out["userDataDir"] = jupyter_data_dir()',
    'except Exception:',
    '    pass',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync(chosen.python, ['-c', code], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) {
    const why = result.error ? result.error.code : result.stderr.trim().split('\n').at(-1);
    return { error: `the Python '${chosen.python}' (from ${chosen.from}) does not run (${why}); pass --python PY or set GCNLAB_PYTHON to Jupyter's Python` };
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** The platform's Jupyter user data dir, as jupyter_core computes it, for when no Python answers (kernel/install.ts, platformUserDataDir). */
function platformUserDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'jupyter');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'jupyter');
}

/** Where the chosen Jupyter keeps its data, the same way `jupyter labextension` (and the kernel installer) would. */
function jupyterDataDir() {
  const chosen = choosePython(options.python);
  if (options['sys-prefix']) {
    if (!chosen) refuse('--sys-prefix needs the Python that runs Jupyter: no `jupyter` on PATH; pass --python PY or set GCNLAB_PYTHON');
    const asked = askPython(chosen);
    if (asked.error) refuse(asked.error);
    return join(asked.prefix, 'share', 'jupyter');
  }
  // --user (the default) works without Python: a Python that cannot answer leaves the platform's folder.
  const asked = chosen && !process.env.JUPYTER_DATA_DIR ? askPython(chosen) : undefined;
  return asked?.userDataDir ?? platformUserDataDir();
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
