// `--help` of every command lists every option with its default; `--version` prints the package's version.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gcnlab } from './run-cli.js';

function help(args: string[]): string {
  const run = gcnlab([...args, '--help']);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.replace(/\s+/g, ' ');
}

test('gcnlab --help lists every command', () => {
  const text = help([]);
  for (const command of ['devices', 'train', 'bench', 'scale', 'kernel']) assert.match(text, new RegExp(`\\b${command}\\b`));
  assert.match(text, /GCNLAB_DATA_DIR/);
});

test('gcnlab train --help lists every hyperparameter with its default', () => {
  const text = help(['train']);
  const expected: [string, string][] = [
    ['--dataset <name>', 'default: "cora"'],
    ['--device <name>', 'default: the fastest available'],
    ['--adjacency <mode>', 'default: "sparse"'],
    ['--epochs <n>', 'default: 200'],
    ['--seed <s>', 'default: 0'],
    ['--hidden <units>', 'default: 16'],
    ['--dropout <p>', 'default: 0.5'],
    ['--lr <rate>', 'default: 0.01'],
    ['--weight-decay <w>', 'default: 0.005'],
    ['--patience <epochs>', 'default: off'],
    ['--threads <t>', 'default: $GCNLAB_THREADS'],
    ['--data-dir <dir>', 'default: $GCNLAB_DATA_DIR'],
  ];
  for (const [option, value] of expected) {
    const at = text.indexOf(option);
    assert.ok(at >= 0, option);
    const next = text.indexOf(' --', at + option.length);
    assert.ok(text.slice(at, next < 0 ? undefined : next).includes(value), `${option}: ${value} in ${text.slice(at, next)}`);
  }
});

test('bench, scale and devices --help list their options and defaults', () => {
  const bench = help(['bench']);
  for (const s of ['--devices <list>', '--adjacency <list>', '--runs <r>', 'default: 5', '--epochs <e>', 'default: 50', '--warmup <w>', '--json <file>', '--html <file>']) assert.ok(bench.includes(s), s);
  const scale = help(['scale']);
  for (const s of ['--sizes <list>', 'default: 10000,30000,100000,300000,1000000', '--degree <d>', 'default: 10', '--features <f>', 'default: 128', '--out <file>']) assert.ok(scale.includes(s), s);
  assert.ok(help(['devices']).includes('--json'));
});

test('gcnlab kernel install --help and uninstall --help list the locations', () => {
  for (const verb of ['install', 'uninstall']) {
    const text = help(['kernel', verb]);
    for (const s of ['--user', '--sys-prefix', '--prefix <dir>', '--name <name>', '--python <py>']) assert.ok(text.includes(s), `${verb}: ${s}`);
  }
});

test('gcnlab kernel --help names the command as typed: gcnlab kernel, not gcnlab-kernel', () => {
  for (const args of [['kernel'], ['kernel', 'install'], ['kernel', 'uninstall'], ['kernel', 'run']]) {
    const run = gcnlab([...args, '--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Usage: gcnlab ${args.join(' ')} `), run.stdout.split('\n')[0]);
  }
});

test('gcnlab kernel uninstall --help says where each location removes from, in plain words', () => {
  const options = optionsOf(['kernel', 'uninstall']);
  assert.match(options.get('--user')!, /^remove for this user, from Jupyter's user data folder \(the default\)$/);
  assert.match(options.get('--sys-prefix')!, /^remove from the sys\.prefix of the Python that runs Jupyter$/);
  assert.match(options.get('--prefix')!, /^remove from DIR\/share\/jupyter\/kernels$/);
  const install = optionsOf(['kernel', 'install']);
  assert.match(install.get('--user')!, /^install for this user, in Jupyter's user data folder \(the default\)$/);
  assert.match(install.get('--sys-prefix')!, /^install into the sys\.prefix of the Python that runs Jupyter$/);
});

/** The options section of a command's help: each option with its description (wrapped lines joined). */
function optionsOf(args: string[]): Map<string, string> {
  const run = gcnlab([...args, '--help']);
  assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
  const section = run.stdout.split(/^Options:$/m)[1]?.split(/^\S.*:$/m)[0] ?? '';
  const options = new Map<string, string>();
  let last = '';
  for (const line of section.split('\n')) {
    const start = /^ {2}(-\w, )?(--[\w-]+)(?: <\w+>)?\s+(.*)$/.exec(line);
    if (start) options.set((last = start[2]), start[3]);
    else if (line.trim() && last) options.set(last, `${options.get(last)} ${line.trim()}`);
  }
  return options;
}

test("--help of every command lists each of its options with the default it takes when left out", () => {
  // The location flags of `kernel install/uninstall` are three alternatives: --user says it is the default one.
  const alternatives = new Set(['--sys-prefix', '--prefix']);
  const expected: Record<string, string[]> = {
    devices: ['--json'],
    train: ['--dataset', '--device', '--adjacency', '--epochs', '--seed', '--hidden', '--dropout', '--lr', '--weight-decay', '--patience', '--threads', '--data-dir', '--json', '--verbose'],
    bench: ['--dataset', '--devices', '--adjacency', '--runs', '--epochs', '--warmup', '--seed', '--threads', '--data-dir', '--json', '--html', '--verbose'],
    scale: ['--sizes', '--devices', '--adjacency', '--epochs', '--degree', '--features', '--json', '--out'],
    'kernel install': ['--user', '--sys-prefix', '--prefix', '--name', '--python', '--display-name'],
    'kernel uninstall': ['--user', '--sys-prefix', '--prefix', '--name', '--python'],
    'kernel run': [],
  };
  for (const [command, flags] of Object.entries(expected)) {
    const options = optionsOf(command.split(' '));
    assert.deepEqual([...options.keys()].sort(), [...flags, '--help'].sort(), command);
    for (const [flag, text] of options) {
      if (flag === '--help' || alternatives.has(flag)) continue;
      assert.match(text, /\((default: .+|the default)\)/, `gcnlab ${command} ${flag}: ${text}`);
    }
  }
  const kernel = gcnlab(['kernel', '--help']);
  assert.equal(kernel.status, 0, kernel.stderr);
  for (const verb of ['install', 'uninstall', 'run']) assert.match(kernel.stdout, new RegExp(`^ {2}${verb}\\b`, 'm'));
});

test('gcnlab help <command> prints that command\'s help', () => {
  const run = gcnlab(['help', 'train']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^Usage: gcnlab train \[options\]/);
  assert.match(run.stdout, /--weight-decay <w>/);
});

test('gcnlab --version prints the version of the package', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = gcnlab([flag]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), version);
  }
});
