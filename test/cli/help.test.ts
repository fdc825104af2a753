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

test('gcnlab --version prints the version of the package', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = gcnlab([flag]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), version);
  }
});
