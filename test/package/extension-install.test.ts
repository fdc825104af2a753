// The extension's installer (extension/bin/install.mjs, the gcnlab-jupyterlab bin) as a user types it: Jupyter's
// Python chosen as the kernel installer chooses it, and bad flags refused with one line and exit status 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/data-dir.js';

const INSTALLER = join(REPO_ROOT, 'extension', 'bin', 'install.mjs');
const SYSTEM_PYTHON = '/usr/bin/python3';

const installer = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [INSTALLER, ...args], { encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, GCNLAB_PYTHON: undefined, ...env } });

/**
 * A venv with its own sys.prefix that sees the system's jupyter_core; with `jupyter`, a pip-style `jupyter` script
 * whose shebang names the venv's Python. Each holds an installed extension (a marker folder) for --uninstall to remove.
 */
function venv(jupyter: boolean): { dir: string; extension: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-ext-venv-'));
  assert.equal(spawnSync(SYSTEM_PYTHON, ['-m', 'venv', '--without-pip', '--system-site-packages', dir]).status, 0);
  if (jupyter) {
    writeFileSync(join(dir, 'bin', 'jupyter'), `#!${join(dir, 'bin', 'python')}\nimport sys\nsys.exit(0)\n`);
    chmodSync(join(dir, 'bin', 'jupyter'), 0o755);
  }
  const extension = join(dir, 'share', 'jupyter', 'labextensions', 'gcnlab-jupyterlab');
  mkdirSync(extension, { recursive: true });
  writeFileSync(join(extension, 'package.json'), '{}');
  return { dir, extension };
}

test('--sys-prefix goes to the Python that `jupyter` on PATH starts, not to the first python3 on PATH', () => {
  const first = venv(false);
  const jupyters = venv(true);
  try {
    const PATH = [join(first.dir, 'bin'), join(jupyters.dir, 'bin'), process.env.PATH].join(delimiter);
    const run = installer(['--sys-prefix', '--uninstall'], { PATH });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), `gcnlab-jupyterlab: removed ${jupyters.extension}`);
    assert.ok(!existsSync(jupyters.extension));
    assert.ok(existsSync(first.extension), 'the python3 first on PATH runs no jupyter: left alone');
  } finally {
    for (const v of [first, jupyters]) rmSync(v.dir, { recursive: true, force: true });
  }
});

test('--python wins over GCNLAB_PYTHON, which wins over the jupyter on PATH', () => {
  const [given, fromEnv, onPath] = [venv(false), venv(false), venv(true)];
  try {
    const PATH = `${join(onPath.dir, 'bin')}${delimiter}${process.env.PATH}`;
    const env = { PATH, GCNLAB_PYTHON: join(fromEnv.dir, 'bin', 'python') };
    const byFlag = installer(['--sys-prefix', '--uninstall', '--python', join(given.dir, 'bin', 'python')], env);
    assert.equal(byFlag.status, 0, byFlag.stderr);
    assert.ok(!existsSync(given.extension) && existsSync(fromEnv.extension) && existsSync(onPath.extension), byFlag.stdout);
    const byEnv = installer(['--sys-prefix', '--uninstall'], env);
    assert.equal(byEnv.status, 0, byEnv.stderr);
    assert.ok(!existsSync(fromEnv.extension) && existsSync(onPath.extension), byEnv.stdout);
  } finally {
    for (const v of [given, fromEnv, onPath]) rmSync(v.dir, { recursive: true, force: true });
  }
});

test('unknown, conflicting and missing flags exit 2 with one line naming them, no stack trace', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-ext-prefix-'));
  // No `jupyter` on PATH (an empty folder alone), no GCNLAB_PYTHON: nothing says which Python runs Jupyter.
  const noJupyter = { PATH: prefix };
  try {
    const cases: [string[], RegExp, NodeJS.ProcessEnv?][] = [
      [['--everywhere'], /^gcnlab-jupyterlab: unknown option '--everywhere'; valid: --user, --sys-prefix, --prefix DIR, --data-dir DIR, --python PY, --uninstall, --help$/],
      [['--user', '--prefix', prefix], /^gcnlab-jupyterlab: --user and --prefix cannot be used together: choose one location$/],
      [['--sys-prefix', '--data-dir', prefix], /^gcnlab-jupyterlab: --sys-prefix and --data-dir cannot be used together/],
      [['--prefix', prefix, '--python', SYSTEM_PYTHON], /^gcnlab-jupyterlab: --python and --prefix cannot be used together/],
      [['--prefix'], /^gcnlab-jupyterlab: option '--prefix <value>' argument missing/i],
      [['--prefix', ''], /^gcnlab-jupyterlab: --prefix '' names no folder$/],
      [['--sys-prefix', '--uninstall', '--python', '/no/such/python'], /^gcnlab-jupyterlab: the Python '\/no\/such\/python' \(from --python\) does not run/],
      [['--sys-prefix', '--uninstall'], /^gcnlab-jupyterlab: --sys-prefix needs the Python that runs Jupyter: no `jupyter` on PATH/, noJupyter],
    ];
    for (const [args, message, env] of cases) {
      const run = installer(args, env);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr.trimEnd(), message, args.join(' '));
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.equal(run.stdout, '', `${args.join(' ')}: nothing installed or removed`);
    }
    assert.ok(!existsSync(join(prefix, 'share')), 'nothing was installed into the prefix');
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
