// The tutorial notebooks, run headlessly with the gcnlab kernel (quick mode, into a temporary copy): no errors, and
// the outputs a reader relies on (accuracy, plotly charts, exported files, HTML that draws offline).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PYTHON = process.env.GCNLAB_PYTHON ?? '/usr/bin/python3';
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const NOTEBOOKS = readdirSync(join(ROOT, 'notebooks')).filter((name) => /^\d\d-.*\.ipynb$/.test(name)).sort();

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Notebook {
  metadata: { kernelspec?: { name: string; language: string } };
  cells: { cell_type: string; execution_count?: number | null; outputs?: Output[] }[];
}

const joined = (text: string | string[] | undefined) => (Array.isArray(text) ? text.join('') : text ?? '');

let dir: string;
const executed = new Map<string, Notebook>();

function notebook(prefix: string): Notebook {
  const name = NOTEBOOKS.find((n) => n.startsWith(prefix));
  assert.ok(name, `no notebook ${prefix}-*.ipynb in notebooks/`);
  const nb = executed.get(name);
  assert.ok(nb, `${name} was not executed`);
  return nb;
}

const outputs = (nb: Notebook) => nb.cells.flatMap((cell) => cell.outputs ?? []);
/** Everything a reader sees as text: printed lines and the text/plain form of values. */
const text = (nb: Notebook) =>
  outputs(nb)
    .map((o) => (o.output_type === 'stream' ? joined(o.text) : joined(o.data?.['text/plain'] as string | string[] | undefined)))
    .join('\n');
const plots = (nb: Notebook) => outputs(nb).filter((o) => o.data && PLOTLY_MIME in o.data);

function python(args: string[], env: Record<string, string> = {}, timeoutMs = 600_000) {
  const result = spawnSync(PYTHON, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw new Error(`${PYTHON} ${args.join(' ')}: ${result.error.message} (set GCNLAB_PYTHON to a Python with nbclient)`);
  return result;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gcnlab-notebooks-'));
  const run = python(['scripts/run-notebooks.py', '--quick', '--output-dir', dir], { GCNLAB_RESULTS_DIR: join(dir, 'results') });
  assert.equal(run.status, 0, `scripts/run-notebooks.py --quick failed:\n${run.stdout}\n${run.stderr}`);
  for (const name of NOTEBOOKS) {
    executed.set(name, JSON.parse(readFileSync(join(dir, name), 'utf8')) as Notebook);
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tutorial notebooks', () => {
  test('are the five the tutorial promises, on the gcnlab kernel', () => {
    assert.deepEqual(
      NOTEBOOKS.map((n) => n.slice(0, 2)),
      ['01', '02', '03', '04', '05'],
    );
    for (const name of NOTEBOOKS) {
      const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', name), 'utf8')) as Notebook;
      assert.equal(nb.metadata.kernelspec?.name, 'gcnlab', name);
      assert.equal(nb.metadata.kernelspec?.language, 'typescript', name);
    }
  });

  test('run every cell without an error or anything on stderr', () => {
    for (const [name, nb] of executed) {
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      assert.ok(code.length > 0, `${name} has no code`);
      assert.ok(code.every((c) => typeof c.execution_count === 'number'), `${name}: a cell did not run`);
      const bad = outputs(nb).filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
      assert.deepEqual(
        bad.map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : joined(o.text))),
        [],
        `${name} has error output`,
      );
    }
  });

  test('01 lists the devices and why some are unavailable', () => {
    const shown = text(notebook('01'));
    assert.match(shown, /cpu\s+@tensorflow\/tfjs-backend-cpu\s+yes/);
    assert.match(shown, /webgpu\s+@tensorflow\/tfjs-backend-webgpu\s+(yes|no)/);
  });

  test('02 shows the model: parameter shapes, the layer count, a plotly chart', () => {
    const nb = notebook('02');
    assert.match(text(nb), /2 GCN layers, 23063 parameters/);
    assert.match(text(nb), /nbLayers: 2 -> 3 GCN layers/);
    assert.ok(plots(nb).length >= 1, 'no plotly chart');
  });

  test('03 trains to test accuracy >= 0.79 and plots the curves', () => {
    const nb = notebook('03');
    const accuracy = /test accuracy: (\d\.\d+)/.exec(text(nb));
    assert.ok(accuracy, 'no "test accuracy:" line');
    assert.ok(Number(accuracy[1]) >= 0.79, `test accuracy ${accuracy[1]} < 0.79`);
    assert.ok(plots(nb).length >= 2, `${plots(nb).length} plotly charts, expected the curves and the epoch times`);
  });

  test('04 benchmarks every available device, plots it and exports JSON, CSV and HTML', () => {
    const nb = notebook('04');
    assert.equal(plots(nb).length, 1, 'expected one benchmark chart');
    const results = join(dir, 'results');
    const json = JSON.parse(readFileSync(join(results, 'benchmark.json'), 'utf8')) as { rows: { device: string; adjacency: string; meanMs: number }[] };
    for (const adjacency of ['dense', 'sparse']) {
      assert.ok(json.rows.some((r) => r.device === 'cpu' && r.adjacency === adjacency && r.meanMs > 0), `no cpu ${adjacency} row`);
    }
    const csv = readFileSync(join(results, 'benchmark.csv'), 'utf8').trim().split('\n');
    assert.match(csv[0], /^source,machine,device,adjacency,/);
    assert.equal(csv.filter((l) => l.startsWith('gcnlab,')).length, json.rows.length);
    assert.equal(csv.filter((l) => l.startsWith('article,')).length, 11);
    const html = readFileSync(join(results, 'benchmark.html'), 'utf8');
    assert.match(html, /plotly\.js v\d/, 'plotly.js is not inlined');
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i, 'the page loads a script from elsewhere');
    assert.match(html, /<table/);
  });

  test('05 scales, refuses a dense 10^5-node graph, agrees across devices (>= 0.79) and projects embeddings', () => {
    const nb = notebook('05');
    const shown = text(nb);
    assert.match(shown, /dense adjacency of 'synthetic-100000-seed0' \(100000 x 100000 float32\) needs [\d.]+ GiB/);
    const range = /test accuracy: (\d\.\d+) to (\d\.\d+) over (\d+) runs/.exec(shown);
    assert.ok(range, 'no accuracy summary');
    assert.ok(Number(range[1]) >= 0.79, `lowest test accuracy ${range[1]} < 0.79`);
    assert.ok(Number(range[2]) - Number(range[1]) <= 0.01, `devices disagree: ${range[1]} to ${range[2]}`);
    assert.ok(plots(nb).length >= 2, 'expected the scaling chart and the embedding chart');
  });

  test('convert to HTML pages whose plots draw offline (plotly.js inlined, no CDN)', () => {
    const out = join(dir, 'html');
    const names = [...executed.keys()];
    const run = python(['-m', 'nbconvert', '--to', 'html', '--output-dir', out, ...names.map((n) => join(dir, n))], {}, 300_000);
    assert.equal(run.status, 0, `nbconvert failed:\n${run.stderr}`);
    for (const name of names) {
      const page = join(out, name.replace(/\.ipynb$/, '.html'));
      assert.ok(existsSync(page), `${page} missing`);
      const html = readFileSync(page, 'utf8');
      assert.doesNotMatch(html, /<script[^>]*src=["'][^"']*plot\.?ly/i, `${name}: plotly.js loaded from a CDN`);
      if (plots(executed.get(name)!).length > 0) {
        assert.match(html, /plotly\.js v\d/, `${name}: plotly.js not inlined`);
        assert.ok((html.match(/Plotly\.newPlot\(/g) ?? []).length >= plots(executed.get(name)!).length, `${name}: a chart is not drawn`);
      }
    }
  });
});
