// The PNG beside each saved chart is what GitHub, nbviewer and nbconvert show (scripts/render-plots.mjs, Debian's
// Chromium): a label that runs past the image's edge is lost there. render-plots reports such texts, and
// run-notebooks.py refuses to save a notebook with one; the committed tutorial's charts have none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const dir = mkdtempSync(join(tmpdir(), 'gcnlab-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Figure { data: unknown[]; layout?: Record<string, unknown> }

/** scripts/render-plots.mjs on `figures`: each one's texts cut off at the image's edges. */
function cutTexts(figures: Figure[]): string[][] {
  const input = join(dir, `figures-${Math.random().toString(36).slice(2)}.json`);
  const output = `${input}.images.json`;
  writeFileSync(input, JSON.stringify(figures));
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'render-plots.mjs'), input, output], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `render-plots failed:\n${run.stderr}`);
  return (JSON.parse(readFileSync(output, 'utf8')) as { images: { cut: string[] }[] }).images.map((i) => i.cut);
}

/** A horizontal bar chart whose longest bar carries `label` outside it, as notebook 4's figure does. */
const bars = (label: string): Figure => ({
  data: [{ type: 'bar', orientation: 'h', y: ['a', 'b'], x: [5, 65], text: ['5 ms', label], textposition: 'outside', cliponaxis: false }],
  layout: { xaxis: { type: 'log' }, margin: { l: 260, r: 200 }, showlegend: false },
});

describe('static chart images', () => {
  test('a bar label past the right edge is reported; the same chart with a short label is not', () => {
    const long = '65.67 ms, 1.4x slower than PyTorch CPU on this machine';
    assert.deepEqual(cutTexts([bars(long), bars('65.67 ms')]), [[long], []]);
  });

  test("the committed notebooks' charts show every text inside their images", () => {
    const names: string[] = [];
    const figures: Figure[] = [];
    for (const name of readdirSync(join(ROOT, 'notebooks')).filter((n) => n.endsWith('.ipynb')).sort()) {
      const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', name), 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
      nb.cells.forEach((cell, i) => {
        for (const output of cell.outputs ?? []) {
          const figure = output.data?.[PLOTLY_MIME] as Figure | undefined;
          if (figure) {
            names.push(`${name} cell ${i}`);
            figures.push(figure);
          }
        }
      });
    }
    assert.ok(figures.length >= 6, `${figures.length} charts found`);
    const cut = cutTexts(figures);
    assert.deepEqual(names.flatMap((n, i) => (cut[i].length > 0 ? [`${n}: ${cut[i].join(' | ')}`] : [])), []);
  });
});
