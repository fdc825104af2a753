// Sizes and numbers on the command line, under a 3 GB address-space limit: each refused in seconds with exit 2 and
// one line naming the value (and, for a size, what would fit), never an untyped RangeError partway through. The
// limit matters: --hidden 100000 fits a quarter of a 24 GiB machine, not the 3 GB this process may map, and was
// taken, then died in the first epoch ("Array buffer allocation failed", exit 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/data-dir.js';
import { ADDRESS_SPACE_LIMIT, describeOutcome, runGcnlab, runLimited, runLoader } from './limited.js';

const CASES: [string[], RegExp][] = [
  [['train', '--device', 'cpu', '--hidden', '1e9'], /^gcnlab train: --hidden must be an integer >= 1 in plain digits, got '1e9'$/],
  [['train', '--device', 'cpu', '--hidden', '1000000000'], /^gcnlab train: --hidden 1000000000 needs [\d.]+ GiB for one epoch on cora .*: at most --hidden \d+ fits$/],
  [['train', '--device', 'cpu', '--hidden', '100000'], /^gcnlab train: --hidden 100000 needs [\d.]+ GiB for one epoch on cora .*: at most --hidden \d+ fits$/],
  [['scale', '--devices', 'cpu', '--sizes', '1e12'], /^gcnlab scale: --sizes: '1e12' is not an integer >= 1 in plain digits$/],
  [['scale', '--devices', 'cpu', '--sizes', '1000000000000'], /^gcnlab scale: --sizes 1000000000000 with --features 128 needs about [\d.]+ TiB, .*: at most \d+ nodes fit with --features 128/],
  [['scale', '--devices', 'cpu', '--features', '1e9'], /^gcnlab scale: --features must be an integer >= 1 in plain digits, got '1e9'$/],
  [['scale', '--devices', 'cpu', '--features', '1000000000'], /^gcnlab scale: --sizes 1000000 with --features 1000000000 needs about [\d.]+ TiB, .*: at most --features \d+ fits at 1000000 nodes/],
  [['train', '--device', 'cpu', '--epochs', '0x10'], /^gcnlab train: --epochs must be an integer from 1 to 1000000 in plain digits, got '0x10'$/],
  [['scale', '--devices', 'cpu', '--epochs', '0x10'], /^gcnlab scale: --epochs must be an integer from 1 to 100000 in plain digits, got '0x10'$/],
];

describe('sizes and numbers on the command line, under 3 GB', () => {
  for (const [args, message] of CASES) {
    it(`gcnlab ${args.join(' ')}: exit 2, one line, in seconds`, async () => {
      const cli = await runGcnlab(args);
      assert.equal(cli.status, 2, describeOutcome(cli));
      assert.equal(cli.stderr.split('\n').length, 2, `one line:\n${describeOutcome(cli)}`);
      assert.match(cli.stderr.trimEnd(), message);
      assert.equal(cli.stdout, '', 'nothing ran');
    });
  }
});

describe('a refused size names the limit that holds here, not the machine it runs on', () => {
  // It said "more than a quarter of this machine's 23.5 GiB memory" while the figure it held to was about 1 GiB.
  for (const args of [['scale', '--devices', 'cpu', '--sizes', '1000000000000'], ['scale', '--devices', 'cpu', '--features', '1000000000']]) {
    it(`gcnlab ${args.join(' ')}: names the address space left under ulimit -v`, async () => {
      const cli = await runGcnlab(args);
      assert.equal(cli.status, 2, describeOutcome(cli));
      assert.match(cli.stderr, /, more than half the ([\d.]+) GiB of address space this process has left \(ulimit -v\): /);
      const left = Number(/half the ([\d.]+) GiB of address space/.exec(cli.stderr)![1]);
      assert.ok(left > 0 && left <= ADDRESS_SPACE_LIMIT / 2 ** 30, `${left} GiB left under a ${ADDRESS_SPACE_LIMIT / 2 ** 30} GiB limit`);
      assert.doesNotMatch(cli.stderr, /this machine's/);
    });
  }
  it("train's epoch check (checkEpochFits, as train() runs it): its hint names the address space too", async () => {
    // The hint said "(a quarter of this machine's memory)" beside the 1 GiB the address space allowed.
    const train = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'train', 'index.js')).href;
    const script =
      `const { checkEpochFits } = await import(${JSON.stringify(train)});` +
      `try { checkEpochFits([{ inputs: 1433, outputs: 100000, bias: true }, { inputs: 100000, outputs: 7, bias: true }], 2708); console.log('fits'); }` +
      `catch (error) { console.log(error.name + ': ' + error.message); }`;
    const run = await runLimited(process.execPath, ['--input-type=module', '-e', script]);
    assert.equal(run.status, 0, describeOutcome(run));
    assert.match(run.stdout, /^MemoryLimitError: .*: hDim at most \d+ fits on 2708 nodes \(half the [\d.]+ GiB of address space this process has left \(ulimit -v\)\)/);
    assert.doesNotMatch(run.stdout, /this machine's/);
  });
});

describe('sizes a 24 GiB machine allows but 3 GB of address space does not', () => {
  const CASES = [
    ['syntheticGraph({ nodes: 1e7 })', { call: 'synthetic', options: { nodes: 1e7 } }, /a synthetic graph of 10000000 nodes .*more than the [\d.]+ GiB allowed: at most \d+ nodes fit/],
    ['new GCN({ hDim: 200000 })', { call: 'gcn', options: { xDim: 1433, hDim: 200000, outDim: 7 } }, /a GCN of 1433 -> 200000 -> 7 .*: hDim at most \d+ fits/],
  ] as const;
  for (const [what, call, message] of CASES) {
    it(`${what}: MemoryLimitError naming what fits, not a crash`, async () => {
      const report = await runLoader(call);
      assert.equal(report.error, 'MemoryLimitError', describeOutcome(report.outcome));
      assert.match(report.message!, message);
    });
  }
});
