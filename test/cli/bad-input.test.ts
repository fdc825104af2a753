// Every bad input on the command line: exit status 2, one line on stderr naming the value and the fix, no stack trace.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATA_DIR } from '../helpers/data-dir.js';
import { gcnlab } from './run-cli.js';

function refused(args: string[], message: RegExp, env: Record<string, string> = {}): string {
  const run = gcnlab(args, env);
  assert.equal(run.status, 2, `${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
  assert.match(run.stderr, message, args.join(' '));
  assert.equal(run.stderr.trim().split('\n').length, 1, `${args.join(' ')}: not one line:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at |Error:/, args.join(' '));
  assert.equal(run.stdout, '', args.join(' '));
  return run.stderr;
}

test('negative and malformed numbers are refused, never reinterpreted', () => {
  refused(['train', '--epochs', '-3'], /gcnlab train: --epochs must be an integer from 1 to 1000000 in plain digits, got '-3'/);
  refused(['train', '--epochs', '0x10'], /--epochs must be an integer .* got '0x10'/);
  refused(['train', '--epochs', '1e3'], /--epochs must be an integer .* got '1e3'/);
  refused(['train', '--epochs', '2.5'], /--epochs must be an integer .* got '2.5'/);
  refused(['train', '--epochs'], /option '--epochs <n>' argument missing/);
  refused(['train', '--hidden', '1e9'], /--hidden must be an integer >= 1 in plain digits, got '1e9'/);
  refused(['train', '--seed', '-1'], /--seed must be an integer from 0 to 4294967295 in plain digits, got '-1'/);
  refused(['train', '--lr', '-0.1'], /--lr must be a number > 0 and <= 1, got '-0.1'$/m);
  refused(['train', '--lr', '0x1'], /--lr must be a number > 0 and <= 1, got '0x1'$/m);
  refused(['train', '--dropout', '1'], /--dropout must be a number >= 0 and < 1, got '1'/);
  refused(['train', '--weight-decay', 'lots'], /--weight-decay must be a number >= 0 and <= 1, got 'lots'$/m);
  refused(['bench', '--runs', '0'], /--runs must be an integer from 1 to 1000 in plain digits, got '0'/);
  refused(['scale', '--sizes', '1e12'], /--sizes: '1e12' is not an integer >= 1 in plain digits/);
  refused(['scale', '--features', '1e9'], /--features must be an integer >= 1 in plain digits, got '1e9'/);
  refused(['scale', '--epochs', '0x10'], /--epochs must be an integer .* got '0x10'/);
});

/** A regular expression matching `text` as it is, and nothing after it on the line with `end`. */
const literally = (text: string, end = '') => new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${end}`, 'm');

test('non-finite and absurd rates are refused with the bound and the reason, not trained into a null loss', () => {
  // Before: --weight-decay 1e308 and --lr 1e308 trained and printed "testLoss": null.
  for (const value of ['1e308', '2']) {
    refused(['train', '--weight-decay', value], literally(`--weight-decay must be a number >= 0 and <= 1, got '${value}' (a larger L2 term swamps the data loss`));
  }
  for (const value of ['1e308', '10', '1e1']) {
    refused(['train', '--lr', value], literally(`--lr must be a number > 0 and <= 1, got '${value}' (larger steps diverge`));
  }
  // Below the range or no number at all: the range is the whole answer.
  for (const value of ['NaN', 'Infinity', '-1e-9']) refused(['train', '--weight-decay', value], literally(`--weight-decay must be a number >= 0 and <= 1, got '${value}'`, '$'));
  for (const value of ['Infinity', '-Infinity', '1e-400', '0']) refused(['train', '--lr', value], literally(`--lr must be a number > 0 and <= 1, got '${value}'`, '$'));
  refused(['train', '--dropout', '1e308'], literally(`--dropout must be a number >= 0 and < 1, got '1e308'`));
  refused(['train', '--dropout', 'NaN'], literally(`--dropout must be a number >= 0 and < 1, got 'NaN'`));
});

test('the bounds themselves are accepted and train to a finite loss', () => {
  const run = gcnlab(['train', '--lr', '1', '--weight-decay', '1', '--dropout', '0', '--epochs', '2', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { testLoss: number; finalTrainLoss: number };
  assert.ok(Number.isFinite(summary.testLoss) && Number.isFinite(summary.finalTrainLoss), run.stdout);
});

test('mistyped words suggest the near miss', () => {
  refused(['train', '--dataset', 'cor'], /--dataset must be one of cora, citeseer, pubmed, got 'cor' \(did you mean cora\?\)/);
  refused(['train', '--dataset', 'PubMed'], /got 'PubMed' \(did you mean pubmed\?\)/);
  refused(['train', '--adjacency', 'spars'], /--adjacency must be one of sparse, dense, got 'spars' \(did you mean sparse\?\)/);
  refused(['train', '--device', 'wsm'], /unknown device 'wsm' \(did you mean wasm\?\): gcnlab knows cpu, wasm, webgpu, tensorflow, cuda\. Available here: cpu/);
  refused(['bench', '--devices', 'cpu,wsm'], /--devices: 'wsm' is not one of cpu, wasm, webgpu, tensorflow, cuda \(did you mean wasm\?\)/);
  refused(['scale', '--adjacency', 'dens'], /--adjacency: 'dens' is not one of sparse, dense \(did you mean dense\?\)/);
  // Nothing near: no guess.
  const far = refused(['train', '--dataset', 'imagenet'], /--dataset must be one of cora, citeseer, pubmed, got 'imagenet'$/m);
  assert.doesNotMatch(far, /did you mean/);
  refused(['help', 'trian'], /^gcnlab: unknown command 'trian' \(did you mean train\?\); commands: devices, train, bench, scale, kernel$/m);
  refused(['kernel', 'instal'], /gcnlab kernel: unknown command 'instal' \(did you mean install\?\)/);
});

test('sizes the machine cannot hold are refused up front, naming the size and what would fit', () => {
  refused(['train', '--hidden', '100000000'], /--hidden 100000000 needs [\d.]+ GiB for one epoch on cora \(2708 nodes, 1433 features\), more than the [\d.]+ GiB an epoch may take here: at most --hidden \d+ fits/);
  refused(['scale', '--sizes', '1000000000000'], /--sizes 1000000000000 with --features 128 needs about [\d.]+ TiB, more than .*: at most \d+ nodes fit with --features 128/);
  refused(['scale', '--features', '1000000000'], /--sizes 1000000 with --features 1000000000 needs about [\d.]+ TiB, more than .*: at most --features \d+ fits at 1000000 nodes/);
  // The graph's own rule, in the user's words: --sizes and --degree, not an internal avgDegree.
  const small = refused(['scale', '--sizes', '10'], /--sizes 10: a graph of 10 nodes cannot have average degree 10 \(--degree\); use at least 11 nodes or a smaller --degree/);
  assert.doesNotMatch(small, /avgDegree/);
});

test('unknown commands suggest the near miss and list the commands; prototype names are just unknown', () => {
  refused(['trian'], /^gcnlab: unknown command 'trian' \(did you mean train\?\); commands: devices, train, bench, scale, kernel/);
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    refused([name], new RegExp(`unknown command '${name}'`));
    refused(['help', name], new RegExp(`unknown command '${name}'`));
    refused(['train', `--${name}`], new RegExp(`unknown option '--${name}'`));
  }
});

test('unknown flags list the valid ones, and suggest the near miss', () => {
  const line = refused(['train', '--epoch', '5'], /unknown option '--epoch' \(did you mean --epochs\?\); valid options: /);
  for (const flag of ['--dataset', '--device', '--adjacency', '--epochs', '--seed', '--hidden', '--dropout', '--lr', '--weight-decay', '--patience', '--threads', '--data-dir', '--json']) {
    assert.ok(line.includes(flag), flag);
  }
  refused(['devices', '--bogus'], /gcnlab devices: unknown option '--bogus'; valid options: --json, --help/);
  refused(['bench', '--device', 'cpu'], /unknown option '--device' \(did you mean --devices\?\)/);
});

test('an argument too many is named, with the switch before it that takes no value', () => {
  refused(['train', '--json', ''], /^gcnlab train: unexpected argument "": 'gcnlab train' takes options only; --json is a switch and takes no value \('gcnlab train --help' lists them\)$/m);
  refused(['devices', 'cpu'], /^gcnlab devices: unexpected argument "cpu": 'gcnlab devices' takes options only \('gcnlab devices --help'/m);
});

test('output paths are checked before any benchmark runs', () => {
  const started = Date.now();
  refused(['bench', '--json', '/no/such/dir/x.json'], /--json \/no\/such\/dir\/x.json: the folder \/no\/such\/dir does not exist; create it or write the file elsewhere/);
  refused(['bench', '--html', '/no/such/dir/x.html'], /--html \/no\/such\/dir\/x.html: the folder \/no\/such\/dir does not exist/);
  refused(['scale', '--out', '/no/such/dir/x.json'], /--out \/no\/such\/dir\/x.json: the folder \/no\/such\/dir does not exist/);
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-out-'));
  refused(['bench', '--json', dir], /--json .* is a folder: name a file inside it/);
  // Three refusals, each a process start and nothing more: a benchmark of Cora's 5 x 50 epochs on two devices is
  // far slower than this.
  assert.ok(Date.now() - started < 60_000, `${Date.now() - started} ms`);
  assert.ok(!existsSync('/no/such/dir'));
});

test('offline without data: one short line naming the folder to fill and GCNLAB_DATA_DIR; the URLs with --verbose', () => {
  const cache = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
  const offline = { GCNLAB_DATA_DIR: '', GCNLAB_CACHE_DIR: cache, GCNLAB_DATA_URL: 'http://127.0.0.1:9/' };
  const line = refused(['train', '--dataset', 'citeseer', '--epochs', '1'], new RegExp(`dataset 'citeseer' is missing .*${join(cache, 'citeseer')}.*GCNLAB_DATA_DIR`), offline);
  assert.doesNotMatch(line, /https?:/);
  // Why, without --verbose: the first file's refusal, and the variable that pointed there; the other 7 not tried.
  assert.match(line, /failed \(ECONNREFUSED, from GCNLAB_DATA_URL\)/);
  assert.ok(line.length < 300, `${line.length} characters: ${line}`);
  const verbose = gcnlab(['train', '--dataset', 'citeseer', '--epochs', '1', '--verbose'], offline);
  assert.equal(verbose.status, 2);
  assert.match(verbose.stderr, /127\.0\.0\.1:9/);
  refused(['train', '--epochs', '1'], /dataset 'cora' is missing .*copy them into \/nonexistent\/gcnlab-data\/cora \(GCNLAB_DATA_DIR=\/nonexistent\/gcnlab-data\)/, {
    GCNLAB_DATA_DIR: '/nonexistent/gcnlab-data',
  });
});

test('a mistyped GCNLAB_DOWNLOAD_TIMEOUT is refused, not read as the default 30 s', () => {
  const cache = mkdtempSync(join(tmpdir(), 'gcnlab-cache-'));
  refused(['train', '--dataset', 'citeseer', '--epochs', '1'], /invalid GCNLAB_DOWNLOAD_TIMEOUT "abc": expected seconds, a number above 0 \(unset: 30\)/, {
    GCNLAB_DATA_DIR: '',
    GCNLAB_CACHE_DIR: cache,
    GCNLAB_DOWNLOAD_TIMEOUT: 'abc',
  });
});

test('a results file that fails to be written after the run (a full disk) is refused in one line, the results printed instead', () => {
  const run = gcnlab(['bench', '--runs', '1', '--epochs', '1', '--warmup', '0', '--devices', 'cpu', '--adjacency', 'sparse', '--json', '/dev/full'], { GCNLAB_DATA_DIR: DATA_DIR });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^gcnlab bench: --json \/dev\/full: writing the results failed \(ENOSPC\); they are printed above instead\. Free space there or choose another path\n$/);
  const last = run.stdout.trim().split('\n').pop()!;
  assert.equal(JSON.parse(last).rows[0].device, 'cpu');
  assert.ok(existsSync('/dev/full'), '/dev/full is still there');
});

test('empty values, files where folders belong and places no file can be written are refused in one line, before any work', () => {
  refused(['bench', '--json', ''], /gcnlab bench: --json needs a file name, got ''/);
  refused(['scale', '--out', ''], /gcnlab scale: --out needs a file name, got ''/);
  refused(['train', '--data-dir', ''], /gcnlab train: --data-dir needs a folder, got ''/);
  refused(['train', '--device', ''], /gcnlab train: unknown device '': gcnlab knows cpu, wasm, webgpu, tensorflow, cuda\. Available here: /);
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-paths-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  refused(['train', '--data-dir', file], new RegExp(`--data-dir ${file} is a file, not a folder: name the folder that holds the dataset's folder`));
  refused(['bench', '--data-dir', file], new RegExp(`--data-dir ${file} is a file, not a folder`));
  refused(['train', '--epochs', '1'], new RegExp(`GCNLAB_DATA_DIR=${file} is a file, not a folder: name the folder that holds cora/`), { GCNLAB_DATA_DIR: file });
  const cache = { GCNLAB_DATA_DIR: '', GCNLAB_DATA_URL: 'http://127.0.0.1:9/' };
  refused(['train', '--dataset', 'citeseer'], new RegExp(`the download cache ${file} cannot hold citeseer's files: ${file} is a file, not a folder`), { ...cache, GCNLAB_CACHE_DIR: file });
  if (existsSync('/proc/self')) {
    // /proc takes no new files, whoever runs the test: refused before the benchmark, not after it.
    refused(['bench', '--json', '/proc/gcnlab.json'], /--json \/proc\/gcnlab\.json: a file in \/proc cannot be written \(E[A-Z]+\); choose another path/);
    refused(['train', '--dataset', 'citeseer'], /the download cache \/proc\/gcnlab-cache cannot hold citeseer's files: \/proc\/gcnlab-cache cannot be made/, { ...cache, GCNLAB_CACHE_DIR: '/proc/gcnlab-cache' });
  }
  const written = join(dir, 'result.json');
  // The path is tried (and passes) before the data is read; the data folder then is refused.
  refused(['bench', '--json', written, '--data-dir', join(dir, 'no-data')], /dataset 'cora' is missing/);
  assert.ok(!existsSync(written), 'a file made only to try the path is removed');
  rmSync(dir, { recursive: true, force: true });
});

test('a corrupt file in --data-dir: one line saying to replace it, or to leave --data-dir out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-corrupt-'));
  cpSync(join(DATA_DIR, 'cora'), join(dir, 'cora'), { recursive: true });
  writeFileSync(join(dir, 'cora', 'ind.cora.y'), '1\n');
  const url = 'https://github.com/kimiyoung/planetoid/raw/master/data/ind.cora.y';
  const line = refused(['train', '--data-dir', dir, '--epochs', '1'], /file '.*ind\.cora\.y' is corrupt or truncated: SHA-256 [0-9a-f]{64} but expected 94465c14/);
  assert.ok(line.includes(`replace it with an intact copy of ${url}, or leave --data-dir out to use gcnlab's own copy`), line);
  assert.doesNotMatch(line, /dataDir|download it again/);
  rmSync(dir, { recursive: true, force: true });
});

test('the kernel command refuses its bad input the same way', () => {
  refused(['kernel', 'install', '--name'], /gcnlab kernel: option '--name <name>' argument missing/);
  refused(['kernel', 'install', '--user', '--prefix', '/tmp/x'], /'--user' cannot be used with option '--prefix <dir>'/);
  refused(['kernel', 'install', '--user', '--sys-prefix'], /'--user' cannot be used with option '--sys-prefix'/);
  refused(['kernel', 'install', '--everywhere'], /unknown option '--everywhere'; valid: --user, --sys-prefix, --prefix, --name, --python, --display-name/);
  refused(['kernel', 'uninstall', '--display-name', 'x'], /unknown option '--display-name'; valid: --user, --sys-prefix, --prefix, --name, --python$/m);
});
