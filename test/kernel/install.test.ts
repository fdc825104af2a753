// `gcnlab kernel install/uninstall` as ipykernel's: the folder of the chosen Jupyter, --name, --display-name, --python.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { test } from 'node:test';
import { python, root } from './kernel-harness.js';

const gcnlab = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(root, 'bin/gcnlab.js'), 'kernel', ...args], { encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, ...env } });

/** A real Python environment (a venv) whose sys.prefix differs from the system's, with a pip-style `jupyter` script. */
function venv(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-venv-'));
  assert.equal(spawnSync(python, ['-m', 'venv', '--without-pip', dir]).status, 0);
  const jupyter = join(dir, 'bin', 'jupyter');
  writeFileSync(jupyter, `#!${join(dir, 'bin', 'python')}\nimport sys\nsys.exit(0)\n`);
  chmodSync(jupyter, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const specIn = (kernels: string, name = 'gcnlab') => JSON.parse(readFileSync(join(kernels, name, 'kernel.json'), 'utf8'));

test('install writes kernel.json with absolute paths, logos and interrupt mode; uninstall removes it', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-install-'));
  try {
    assert.equal(gcnlab(['install', '--prefix', prefix]).status, 0);
    const dir = join(prefix, 'share/jupyter/kernels/gcnlab');
    const spec = specIn(join(prefix, 'share/jupyter/kernels'));
    assert.equal(spec.display_name, 'TypeScript (gcnlab)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.ok(spec.argv.slice(0, 2).every(isAbsolute) && spec.argv[2] === '{connection_file}');
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) assert.ok(existsSync(join(dir, logo)), logo);
    assert.equal(readFileSync(join(dir, 'logo-64x64.png')).subarray(1, 4).toString(), 'PNG');
    assert.equal(gcnlab(['uninstall', '--prefix', prefix]).status, 0);
    assert.ok(!existsSync(dir));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('--name and --display-name choose the kernelspec folder and the name Jupyter shows', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-install-'));
  try {
    const run = gcnlab(['install', '--prefix', prefix, '--name', 'gcnlab-dev', '--display-name', 'TypeScript (dev)']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(specIn(join(prefix, 'share/jupyter/kernels'), 'gcnlab-dev').display_name, 'TypeScript (dev)');
    assert.ok(!existsSync(join(prefix, 'share/jupyter/kernels/gcnlab')));
    assert.equal(gcnlab(['uninstall', '--prefix', prefix, '--name', 'gcnlab-dev']).status, 0);
    assert.ok(!existsSync(join(prefix, 'share/jupyter/kernels/gcnlab-dev')));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test("--sys-prefix lands in the sys.prefix of --python, of GCNLAB_PYTHON, else of the Python that `jupyter` on PATH starts", () => {
  const [given, fromEnv, onPath] = [venv(), venv(), venv()];
  try {
    const kernels = (v: { dir: string }) => join(v.dir, 'share/jupyter/kernels');
    assert.equal(gcnlab(['install', '--sys-prefix', '--python', join(given.dir, 'bin/python')], { GCNLAB_PYTHON: join(fromEnv.dir, 'bin/python') }).status, 0);
    assert.ok(existsSync(join(kernels(given), 'gcnlab/kernel.json')), '--python wins over GCNLAB_PYTHON');
    assert.equal(gcnlab(['install', '--sys-prefix'], { GCNLAB_PYTHON: join(fromEnv.dir, 'bin/python') }).status, 0);
    assert.ok(existsSync(join(kernels(fromEnv), 'gcnlab/kernel.json')));
    const path = `${join(onPath.dir, 'bin')}${delimiter}${process.env.PATH}`;
    const run = gcnlab(['install', '--sys-prefix'], { PATH: path, GCNLAB_PYTHON: '' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(kernels(onPath), 'gcnlab/kernel.json')), run.stdout);
  } finally {
    for (const v of [given, fromEnv, onPath]) v.cleanup();
  }
});

test('conflicting, unknown and bad options exit 2 with one line naming them', () => {
  const cases: [string[], RegExp][] = [
    [['install', '--user', '--sys-prefix'], /'--user' cannot be used with option '--sys-prefix'/],
    [['install', '--sys-prefix', '--prefix', '/tmp/x'], /'--sys-prefix' cannot be used with option '--prefix <dir>'/],
    [['install', '--everywhere'], /unknown option '--everywhere'; valid: --user, --sys-prefix, --prefix, --name, --python, --display-name/],
    [['install', '--name'], /'--name <name>' argument missing/],
    [['install', '--name', '../escape', '--prefix', '/tmp/x'], /--name '\.\.\/escape' is not a kernelspec name/],
    // `--name --user` took '--user' as the name and installed a kernelspec Jupyter cannot start by name.
    [['install', '--name', '--user'], /^gcnlab kernel: --name '--user' is not a kernelspec name: .*starting with a letter, a digit or '_'/],
    [['install', '--name', '-dev', '--prefix', '/tmp/x'], /--name '-dev' is not a kernelspec name: use letters, digits, '\.', '_' and '-'/],
    [['uninstall', '--name', '--user'], /--name '--user' is not a kernelspec name/],
    [['install', '--prefix', ''], /--prefix '\s*' names no folder/],
    [['uninstall', '--prefix', '  '], /--prefix '\s*' names no folder/],
    [['install', '--sys-prefix', '--python', '/no/such/python'], /the Python '\/no\/such\/python' \(from --python\) does not run/],
    [['instal'], /unknown command 'instal' \(did you mean install\?\)/],
  ];
  for (const [args, message] of cases) {
    const run = gcnlab(args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  }
});

test("names of dots are refused before anything is written or removed: '--name ..' would be the Jupyter data folder", () => {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-dots-'));
  try {
    const data = join(prefix, 'share/jupyter');
    const kept = [join(data, 'kernels/python3/kernel.json'), join(data, 'labextensions/some-extension/package.json')];
    for (const file of kept) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '{}');
    }
    for (const args of [['uninstall', '--name', '..'], ['uninstall', '--name', '.'], ['install', '--name', '..'], ['install', '--name', '.hidden']]) {
      const run = gcnlab([...args, '--prefix', prefix]);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`--name '${args[2].replace(/\./g, '\\.')}' is not a kernelspec name: .*starting with a letter, a digit or '_'`));
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    for (const file of kept) assert.ok(existsSync(file), `${file} is still there`);
    assert.ok(!existsSync(join(data, 'kernel.json')), 'no kernel.json written into the data folder');
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('kernel install --help lists every option with its default', () => {
  const run = gcnlab(['install', '--help']);
  assert.equal(run.status, 0, run.stderr);
  for (const option of ['--user', '--sys-prefix', '--prefix <dir>', '--name <name>', '--display-name <text>', '--python <py>']) assert.ok(run.stdout.includes(option), option);
  assert.match(run.stdout, /default: "gcnlab"/);
  assert.match(run.stdout, /default: "TypeScript \(gcnlab\)"/);
});
