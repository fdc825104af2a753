// A chart's text/html fallback in a real browser, as an exported notebook or a frontend without gcnlab's extension
// shows it: drawn where plotly.js is on the page, and where it is not (the output that carried it was cleared or
// re-run), a sentence saying why and what to do, not an empty box polling for ever.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { figureBundle, trainingCurvesChart } from '../../src/display/index.js';
import { PLOTLY_MISSING } from '../../src/display/mime.js';
import { launchBrowser } from './lab.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

const figure = () => trainingCurvesChart([1, 2].map((epoch) => ({ type: 'epoch' as const, runId: 'r', device: 'cpu' as const, adjacency: 'sparse' as const, epoch, epochMs: 1, trainLoss: 2 - epoch / 4, valLoss: 2 - epoch / 5, valAccuracy: epoch / 4 })));

test('a chart that carries plotly.js draws; one whose plotly.js is gone says so within its wait', async () => {
  const page = await browser.newPage();
  try {
    const carried = figureBundle(figure(), { includePlotlyJs: 'always' })['text/html'] as string;
    await page.setContent(carried);
    await page.waitForSelector('.main-svg', { timeout: 20_000 });

  } finally {
    await page.close();
  }
  const fresh = await browser.newPage();
  try {
    const missing = figureBundle(figure(), { includePlotlyJs: 'never' })['text/html'] as string;
    await fresh.setContent(missing);
    await fresh.waitForFunction((text) => document.body.innerText.includes(text), PLOTLY_MISSING, { timeout: 20_000 });
    assert.equal(await fresh.locator('.main-svg').count(), 0);
  } finally {
    await fresh.close();
  }
});
