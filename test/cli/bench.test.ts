// `gcnlab bench` through the real command line: a short benchmark written as JSON and a standalone HTML page.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gcnlab } from './run-cli.js';

test('gcnlab bench measures each device and adjacency mode and writes JSON and HTML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-bench-'));
  const json = join(dir, 'bench.json');
  const html = join(dir, 'bench.html');
  const run = gcnlab(['bench', '--devices', 'cpu,wasm,webgpu', '--adjacency', 'sparse', '--runs', '2', '--epochs', '5', '--warmup', '1', '--json', json, '--html', html]);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(readFileSync(json, 'utf8'));
  assert.deepEqual(result.rows.map((r: { device: string; adjacency: string }) => `${r.device}/${r.adjacency}`), ['cpu/sparse', 'wasm/sparse']);
  for (const row of result.rows) {
    assert.equal(row.runs, 2);
    assert.ok(row.minMs <= row.medianMs && row.medianMs <= row.p95Ms, JSON.stringify(row));
  }
  if (result.skipped.length) assert.match(result.skipped[0].reason, /\w/);
  assert.ok(result.references.timings.length >= 11);
  assert.match(run.stdout, /cpu\s+sparse/);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /Plotly\.newPlot/);
  assert.match(page, /<table/);
});

test('an unknown device in --devices is refused before any work', () => {
  const run = gcnlab(['bench', '--devices', 'cpu,tpu']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /'tpu' is not one of cpu, wasm, webgpu, tensorflow, cuda/);
});

test('a benchmark whose every device is unavailable here is refused in one line with each reason, each device named once', () => {
  // tfjs-node-gpu downloads libtensorflow while installing, so no offline machine has the cuda device.
  const run = gcnlab(['bench', '--devices', 'cuda,cuda', '--runs', '1', '--epochs', '1']);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^gcnlab bench: nothing could be measured \(cuda: [^;\n]+\); 'gcnlab devices' lists the devices that work here\n$/);
  assert.equal(run.stdout.trim(), '', 'no empty table');
});
