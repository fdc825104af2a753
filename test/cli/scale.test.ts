// `gcnlab scale` through the real command line: the table's column says which statistic it shows, and a fit says
// how many sizes it rests on (two fit any line exactly, so no r2 is shown for them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcnlab, lastJson } from './run-cli.js';

test('gcnlab scale prints median ms per epoch and each fit with its number of sizes', () => {
  const args = ['scale', '--devices', 'cpu', '--adjacency', 'sparse', '--epochs', '2', '--features', '8'];
  const two = gcnlab([...args, '--sizes', '200,400']);
  assert.equal(two.status, 0, two.stderr);
  assert.match(two.stdout, /median ms\/epoch/);
  assert.match(two.stdout, /^cpu sparse: ms ~ nnz\^-?[\d.]+ \(from 2 sizes: too few for r2\)/m);
  const three = gcnlab([...args, '--sizes', '200,400,800', '--json']);
  assert.equal(three.status, 0, three.stderr);
  const report = lastJson<{ points: { meanMs: number; medianMs: number }[]; fits: { sizes: number; r2: number | null }[] }>(three.stdout);
  assert.equal(report.points.length, 3);
  for (const p of report.points) assert.ok(p.meanMs > 0 && p.medianMs > 0, JSON.stringify(p));
  assert.equal(report.fits[0].sizes, 3);
  assert.equal(typeof report.fits[0].r2, 'number');
});

test('a dense size past the memory limit is refused in words the command line can act on', () => {
  const run = gcnlab(['scale', '--devices', 'cpu', '--sizes', '200000', '--epochs', '1', '--features', '8']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^cpu\s+sparse\s+200000/m, 'the sparse row runs');
  assert.match(run.stdout, /^refused cpu dense at 200,000 nodes: it needs 149\.01 GiB, more than the [\d.]+ GiB allowed on this machine; --adjacency sparse runs the same graph$/m);
  assert.doesNotMatch(run.stdout, /maxBytes|maxDenseBytes|CsrMatrix/, "an API's names, which no flag sets");
});
