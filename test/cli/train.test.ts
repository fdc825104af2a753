// `gcnlab train` through the real command line: the article's run, JSON output, and bad input.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { gcnlab, lastJson } from './run-cli.js';

interface TrainSummary {
  dataset: string;
  device: string;
  adjacency: string;
  epochs: number;
  stoppedEarly: boolean;
  engine: string;
  testAccuracy: number;
  msPerEpoch: number;
}

test('gcnlab train --json trains the article\'s GCN on Cora and ends with one JSON object', () => {
  const run = gcnlab(['train', '--dataset', 'cora', '--device', 'cpu', '--adjacency', 'sparse', '--epochs', '200', '--seed', '1', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = lastJson<TrainSummary>(run.stdout);
  assert.equal(summary.dataset, 'cora');
  assert.equal(summary.device, 'cpu');
  assert.equal(summary.adjacency, 'sparse');
  assert.equal(summary.epochs, 200);
  assert.equal(summary.stoppedEarly, false);
  assert.equal(summary.engine, 'fused-host');
  assert.ok(summary.testAccuracy >= 0.79, `test accuracy ${summary.testAccuracy}`);
  assert.ok(summary.msPerEpoch > 0);
});

test('a run that --patience ends early says so, in its line and in its JSON', () => {
  // A learning rate this high overshoots at once, so the validation loss stops improving within a few epochs.
  const args = ['train', '--device', 'cpu', '--epochs', '200', '--lr', '1', '--weight-decay', '0', '--patience', '3'];
  const line = gcnlab(args);
  assert.equal(line.status, 0, line.stderr);
  assert.match(line.stdout, /^cora on cpu \(sparse adjacency, 1 thread\), \d+ epochs \(stopped early: the validation loss had not improved for --patience 3 epochs\)\n/);
  const summary = lastJson<TrainSummary>(gcnlab([...args, '--json']).stdout);
  assert.equal(summary.stoppedEarly, true);
  assert.ok(summary.epochs < 200, `${summary.epochs} epochs`);
});

test('the same seed gives the same result twice', () => {
  const args = ['train', '--device', 'wasm', '--epochs', '20', '--seed', '7', '--json'];
  const a = lastJson<TrainSummary>(gcnlab(args).stdout);
  const b = lastJson<TrainSummary>(gcnlab(args).stdout);
  assert.equal(a.testAccuracy, b.testAccuracy);
});

test('bad input exits non-zero with one clear line naming the value', () => {
  const cases: [string[], RegExp][] = [
    [['train', '--device', 'tpu'], /unknown device 'tpu'.*Available here: cpu, wasm/],
    [['train', '--dataset', 'imagenet'], /--dataset must be one of cora, citeseer, pubmed, got 'imagenet'/],
    [['train', '--epochs', 'ten'], /--epochs must be an integer from 1 to 1000000 in plain digits, got 'ten'/],
    [['train', '--adjacency', 'diagonal'], /--adjacency must be one of sparse, dense/],
    [['train', '--threads', '0'], /--threads must be an integer from 1 to 1024 in plain digits, got '0'/],
  ];
  for (const [args, message] of cases) {
    const run = gcnlab(args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});

test('--threads sets the wasm epochs\' threads where a product is worth sharing, and says so; a bad GCNLAB_THREADS is named', () => {
  const threadsOf = (device: string, adjacency: string, extra: string[], env = {}) => {
    const run = gcnlab(['train', '--device', device, '--adjacency', adjacency, '--epochs', '3', '--json', ...extra], env);
    assert.equal(run.status, 0, run.stderr);
    return lastJson<TrainSummary & { threads: number }>(run.stdout).threads;
  };
  // Cora dense: A @ XW is 2708^2 x 16 multiply-adds, shared out; Cora sparse has no product worth it.
  const two = Math.min(2, availableParallelism()); // never more threads than cores
  assert.equal(threadsOf('wasm', 'dense', ['--threads', '2']), two);
  assert.equal(threadsOf('wasm', 'dense', ['--threads', '64']), availableParallelism());
  assert.equal(threadsOf('wasm', 'dense', [], { GCNLAB_THREADS: '1' }), 1);
  assert.equal(threadsOf('wasm', 'dense', ['--threads', '2'], { GCNLAB_THREADS: '1' }), two, '--threads wins over GCNLAB_THREADS');
  assert.equal(threadsOf('wasm', 'sparse', ['--threads', '2']), 1);
  assert.equal(threadsOf('cpu', 'dense', ['--threads', '2']), 1);
  assert.equal(threadsOf('cpu', 'sparse', [], { GCNLAB_THREADS: 'many' }), 1, 'only the wasm device reads GCNLAB_THREADS');
  const bad = gcnlab(['train', '--device', 'wasm', '--epochs', '1'], { GCNLAB_THREADS: 'many' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /invalid GCNLAB_THREADS "many": expected a positive integer/);
});

test('missing data names the variable to set', () => {
  const run = gcnlab(['train', '--epochs', '1'], { GCNLAB_DATA_DIR: '/nonexistent/gcnlab-data', GCNLAB_CACHE_DIR: '/nonexistent/cache', GCNLAB_DATA_URL: 'http://127.0.0.1:9/' });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /GCNLAB_DATA_DIR/);
});
