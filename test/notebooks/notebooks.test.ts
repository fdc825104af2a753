// The tutorial notebooks, run headlessly with the gcnlab kernel (quick mode, into a temporary copy) as on a fresh
// machine (no data folder, an empty cache, so Cora comes from the copy gcnlab ships): no errors, and the outputs a
// reader relies on (accuracy, plotly charts with a static image beside each, exported files, HTML that shows the
// charts offline); and the committed notebooks small enough and readable without a kernel.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PYTHON = process.env.GCNLAB_PYTHON ?? '/usr/bin/python3';
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const NOTEBOOKS = readdirSync(join(ROOT, 'notebooks')).filter((name) => /^\d\d-.*\.ipynb$/.test(name)).sort();
/** What GitHub, nbviewer and nbconvert can show of a chart: a PNG, base64 as nbformat stores it. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_NOTEBOOK_BYTES = 2_000_000;

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

function python(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 600_000) {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const result = spawnSync(PYTHON, args, { cwd: ROOT, env: merged, encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw new Error(`${PYTHON} ${args.join(' ')}: ${result.error.message} (set GCNLAB_PYTHON to a Python with nbclient)`);
  return result;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gcnlab-notebooks-'));
  const cache = join(dir, 'empty-cache');
  mkdirSync(cache);
  // A fresh machine: no data folder, no download mirror, nothing cached.
  const fresh = { GCNLAB_DATA_DIR: undefined, GCNLAB_DATA_URL: undefined, GCNLAB_CACHE_DIR: cache };
  // About 7 minutes on the busy 2-core build machine; 15 leaves room inside run-tests' 20 minutes per file.
  const run = python(['scripts/run-notebooks.py', '--quick', '--output-dir', dir], { ...fresh, GCNLAB_RESULTS_DIR: join(dir, 'results') }, 15 * 60_000);
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

  test('every plotly chart carries a PNG drawn from it, and no 4.8 MB HTML fallback (executed and committed copies)', () => {
    const committed = NOTEBOOKS.map((name) => [`notebooks/${name}`, JSON.parse(readFileSync(join(ROOT, 'notebooks', name), 'utf8')) as Notebook] as const);
    const fresh = [...executed].map(([name, nb]) => [`executed ${name}`, nb] as const);
    let charts = 0;
    for (const [label, nb] of [...committed, ...fresh]) {
      for (const [i, plot] of plots(nb).entries()) {
        const png = plot.data!['image/png'];
        assert.equal(typeof png, 'string', `${label}: chart ${i + 1} has no image/png beside its plotly JSON`);
        const bytes = Buffer.from(png as string, 'base64');
        assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.length > 10_000, `${label}: chart ${i + 1}'s image is not a drawn PNG`);
        assert.ok(!('text/html' in plot.data!), `${label}: chart ${i + 1} still carries its HTML fallback`);
        charts++;
      }
    }
    assert.ok(charts >= 2 * 6, `${charts} charts checked`);
  });

  test('are each under 2 MB as committed', () => {
    for (const name of NOTEBOOKS) {
      const size = statSync(join(ROOT, 'notebooks', name)).size;
      assert.ok(size < MAX_NOTEBOOK_BYTES, `notebooks/${name} is ${(size / 1e6).toFixed(2)} MB`);
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
    // The 50-epoch comparison with PyTorch is over five seeds on both sides, as notebook 4's benchmark.
    assert.match(text(nb), /after 50 epochs: gcnlab \d\.\d+ \(this run, mean of seeds 0-4: (\d\.\d+, ){4}\d\.\d+\), PyTorch \d\.\d+ \(mean of 5 seeds/);
    assert.match(text(nb), /epoch 1: [\d.]+ ms; the median of the other \d+: [\d.]+ ms/);
    assert.ok(plots(nb).length >= 2, `${plots(nb).length} plotly charts, expected the curves and the epoch times`);
  });

  test("04 measures the article's configuration and the default beside PyTorch, redraws the article's figure, exports JSON, CSV and HTML", () => {
    const nb = notebook('04');
    const shown = text(nb);
    assert.match(shown, /gcnlab cpu\s+article: 3 layers, X dense, Â dense\s+fused/);
    assert.match(shown, /PyTorch cpu\s+article: 3 layers, X dense, Â dense\s+torch/, 'no PyTorch row for the article\'s configuration');
    assert.match(shown, /PyTorch cpu\s+default: 2 layers, X sparse, Â sparse/);
    assert.match(shown, /gpu-\d{4}-\d\d-\d\d-[\w-]+\.json: \d{4}-\d\d-\d\d \d\d:\d\d UTC, host .+; \d+ runs x \d+ epochs/, 'no GPU table with its provenance');
    assert.match(shown, /pytorch torch-graph-\w+\s+NVIDIA/, 'the GPU table has no whole-epoch-captured peer');
    assert.match(shown, /capturing the epoch makes PyTorch [\d.]+x faster than eager/);
    assert.match(shown, /its training nodes per class: (\d+, ){6}\d+/, "the article's split is not described");
    assert.match(shown, /a third layer \(with dense Â\)\s+adds [\d.]+ M multiply-adds/, 'no multiply-add count per difference');
    const figure = plots(nb)[0].data![PLOTLY_MIME] as { data: { orientation?: string; y: string[][] }[] };
    assert.equal(figure.data[0].orientation, 'h');
    assert.ok(figure.data[0].y[0].some((chip) => chip.startsWith('this machine')), 'the article\'s figure has no group for this machine');
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

  test('convert to HTML pages that show every chart offline (its PNG, no script from a CDN)', () => {
    const out = join(dir, 'html');
    const names = [...executed.keys()];
    const run = python(['-m', 'nbconvert', '--to', 'html', '--output-dir', out, ...names.map((n) => join(dir, n))], {}, 300_000);
    assert.equal(run.status, 0, `nbconvert failed:\n${run.stderr}`);
    for (const name of names) {
      const page = join(out, name.replace(/\.ipynb$/, '.html'));
      assert.ok(existsSync(page), `${page} missing`);
      const html = readFileSync(page, 'utf8');
      assert.doesNotMatch(html, /<script[^>]*src=["'][^"']*plot\.?ly/i, `${name}: plotly.js loaded from a CDN`);
      const images = html.match(/<img[^>]+src=["']data:image\/png;base64,/g) ?? [];
      assert.ok(images.length >= plots(executed.get(name)!).length, `${name}: ${images.length} images for ${plots(executed.get(name)!).length} charts`);
    }
  });
});
