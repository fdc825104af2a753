#!/usr/bin/env node
// `npm start`: builds what is missing (JupyterLab app + gcnlab extension), installs the gcnlab kernelspec into the
// project-local Jupyter path, and serves notebooks/ in JupyterLab 4 on 127.0.0.1 with a token, printing the URL.
//   npm start -- [--port P] [--no-browser] [--notebook-dir DIR] [--rebuild]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const local = join(root, '.jupyter-local');

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8888' },
    'no-browser': { type: 'boolean', default: false },
    'notebook-dir': { type: 'string', default: join(root, 'notebooks') },
    rebuild: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log('Usage: npm start -- [--port P] [--no-browser] [--notebook-dir DIR] [--rebuild]');
  process.exit(0);
}

function fail(message) {
  console.error(`gcnlab start: ${message}`);
  process.exit(1);
}

/** $GCNLAB_PYTHON if set, else the first of python3 on PATH, the system's python3, python that has both packages. */
function findPython() {
  const candidates = process.env.GCNLAB_PYTHON ? [process.env.GCNLAB_PYTHON] : ['python3', '/usr/bin/python3', 'python'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import jupyter_server, jupyterlab_server'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

const python = findPython();
if (!python) {
  fail(
    [
      `JupyterLab's server side is missing: ${process.env.GCNLAB_PYTHON ? `GCNLAB_PYTHON (${process.env.GCNLAB_PYTHON}) does not` : 'no Python here does'} import both \`jupyter_server\` and \`jupyterlab_server\`.`,
      'Install them with one of:',
      '  pip install jupyter_server jupyterlab_server',
      '  conda install -c conda-forge jupyter_server jupyterlab_server',
      '  sudo apt-get install python3-jupyter-server python3-jupyterlab-server    (Debian 12 / Ubuntu)',
      'or point GCNLAB_PYTHON at a Python that has them, then run `npm start` again.',
    ].join('\n'),
  );
}

// Builds only what is missing or out of date (the script checks).
const build = spawnSync('bash', [join(root, 'scripts', 'build-lab.sh'), ...(options.rebuild ? ['--force'] : [])], { stdio: 'inherit' });
if (build.status !== 0) fail('building the JupyterLab app or the extension failed (see above).');

// The kernelspec goes into a project-local prefix so nothing outside the repository changes.
if (!existsSync(join(root, 'dist', 'kernel', 'cli.js'))) {
  const tsc = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) fail('compiling gcnlab (npm run build) failed, so the kernel cannot be installed.');
}
const install = spawnSync(process.execPath, [join(root, 'bin', 'gcnlab.js'), 'kernel', 'install', '--prefix', local], { stdio: 'inherit' });
if (install.status !== 0) {
  console.error(`gcnlab start: installing the gcnlab kernelspec into ${local} failed (see above); JupyterLab starts anyway, offering only the kernels it finds elsewhere.`);
}

const notebookDir = resolve(options['notebook-dir']);
if (!existsSync(notebookDir)) fail(`the notebook folder ${notebookDir} does not exist.`);
const stateDir = process.env.GCNLAB_LAB_STATE_DIR ?? join(local, 'lab');
mkdirSync(stateDir, { recursive: true });

const token = randomBytes(24).toString('hex');
const port = Number(options.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`--port must be a TCP port number, got '${options.port}'.`);
const url = `http://127.0.0.1:${port}/lab?token=${token}`;
const env = {
  ...process.env,
  JUPYTER_PATH: [join(local, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  PYTHONPATH: [join(root, 'extension', 'app', 'server'), process.env.PYTHONPATH].filter(Boolean).join(delimiter),
  // Our prebuilt extension, unless the caller says where extensions are (a test of the user's install does).
  GCNLAB_LABEXTENSIONS_PATH: process.env.GCNLAB_LABEXTENSIONS_PATH ?? join(root, 'extension', 'prebuilt'),
  GCNLAB_LAB_STATE_DIR: stateDir,
  // jupyter_server reads its token from here. A command line is readable by every local user (ps, /proc/*/cmdline);
  // a process's environment only by its owner and root.
  JUPYTER_TOKEN: token,
};
const server = spawn(
  python,
  [
    '-m',
    'gcnlab_lab',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${notebookDir}`,
    // New notebooks start on the tutorial's kernel.
    '--MappingKernelManager.default_kernel_name=gcnlab',
    `--ServerApp.open_browser=${options['no-browser'] ? 'False' : 'True'}`,
    ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : []),
  ],
  { env, stdio: ['ignore', 'inherit', 'pipe'] },
);

// The server logs to stderr; announce the URL once it says it is listening.
let announced = false;
server.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  if (!announced && /is running at|Use Control-C/.test(String(chunk))) {
    announced = true;
    console.log(`\ngcnlab: JupyterLab is serving ${notebookDir}\ngcnlab: open ${url}\n`);
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
