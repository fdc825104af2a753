// Run All in the real JupyterLab on a gcnlab notebook with a forgotten await, a throwing timer and a failing cell
// followed by ten cells: each error shows once, in its own cell; the ten queued cells do not run (stop_on_error);
// the kernel is alive and holds what the cells before the failure defined.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openLab, openNotebook, resultsDir, runCell, startLab, withinLimit, type Lab } from './lab.ts';

const CELLS = [
  "let before = 'kept';",
  // A forgotten await: where webgpu is unavailable, useDevice rejects with nobody listening.
  "import { listDevices, useDevice } from 'gcnlab';\nconst webgpu = (await listDevices()).find((d) => d.name === 'webgpu')!;\n" +
    "if (!webgpu.available) useDevice('webgpu');\nawait new Promise((r) => setTimeout(r, 500));\nwebgpu.available",
  "setTimeout(() => { throw new RangeError('thrown by a timer') }, 20);\nawait new Promise((r) => setTimeout(r, 500));",
  "throw new Error('this cell fails');",
  ...Array.from({ length: 10 }, (_, i) => `let queued${i} = ${i}; console.log('queued cell ${i} ran');`),
];

function writeCells(lab: Lab, name: string): string {
  const notebook = {
    cells: CELLS.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: 'gcnlab', display_name: 'TypeScript (gcnlab)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(lab.notebookDir, name), JSON.stringify(notebook));
  return name;
}

interface CellState {
  executionCount: number | null;
  outputs: { output_type: string; ename?: string; evalue?: string; text?: string }[];
}

function cellStates(page: Page): Promise<CellState[]> {
  return page.evaluate(() =>
    (window as any).jupyterapp.shell.currentWidget.content.widgets.map((cell: any) => ({
      executionCount: cell.model.executionCount,
      outputs: cell.model.outputs.toJSON(),
    })),
  );
}

describe('Run All on a gcnlab notebook with failures', { timeout: 600_000 }, () => {
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  /** Errors thrown in the page (JupyterLab's debugger once read a modules reply without a body). */
  const pageErrors: string[] = [];

  before(async () => {
    lab = await startLab();
    browser = await launchBrowser();
    page = await openLab(browser, lab);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, { timeout: 300_000 });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  }, { timeout: 60_000 });

  it('shows each error once where it happened, runs none of the queued cells, and keeps the kernel', () =>
    withinLimit(page, 'run-all', 240_000, async () => {
      await openNotebook(page, writeCells(lab, 'run-all.ipynb'));
      await page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:run-all-cells'));
      // Done when the failing cell has its error, the kernel is idle and no cell waits any more.
      await page.waitForFunction(
        () => {
          const widget = (window as any).jupyterapp.shell.currentWidget;
          const cells = widget.content.widgets;
          const failed = cells[3].model.outputs.toJSON().some((o: { output_type: string }) => o.output_type === 'error');
          const waiting = [...document.querySelectorAll('.jp-InputPrompt')].some((p) => p.textContent?.includes('*'));
          return failed && !waiting && widget.sessionContext.session?.kernel?.status === 'idle';
        },
        null,
        { timeout: 180_000 },
      );
      await page.waitForTimeout(1000);
      await page.screenshot({ path: join(resultsDir(), 'run-all-after.png') });
      const cells = await cellStates(page);
      const errors = cells.map((cell) => cell.outputs.filter((o) => o.output_type === 'error'));

      assert.deepEqual(errors[0], [], 'the first cell ran cleanly');
      const webgpuAvailable = cells[1].outputs.some((o) => JSON.stringify(o).includes('true'));
      assert.deepEqual(errors[1].map((e) => e.ename), webgpuAvailable ? [] : ['DeviceUnavailableError'], 'the forgotten await, once, in its cell');
      assert.deepEqual(errors[2].map((e) => e.ename), ['RangeError'], 'the timer, once, in its cell');
      assert.deepEqual(errors[3].map((e) => [e.ename, e.evalue]), [['Error', 'this cell fails']], 'the failing cell, once');
      for (const [i, cell] of cells.slice(4).entries()) {
        assert.deepEqual([cell.executionCount, cell.outputs], [null, []], `queued cell ${i} did not run`);
      }
      for (const count of cells.slice(0, 4).map((cell) => cell.executionCount)) assert.ok(typeof count === 'number', 'the first four cells ran');

      // The kernel lived through all of it and kept what was defined before the failure; the queued names never were.
      assert.match(await runCell(page, 'before'), /'kept'/);
      assert.match(await runCell(page, 'queued0'), /Cannot find name 'queued0'/);
      assert.deepEqual(pageErrors, [], 'no error in the page');
    }));
});
