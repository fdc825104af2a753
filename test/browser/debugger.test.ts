// The JupyterLab debugger on a gcnlab notebook, in headless Chromium against `npm start`: the bug icon turns it on,
// a click beside a function's line sets a breakpoint, a cell calling it stops there with the call stack and the
// local's value in the sidebar, and Continue lets the cell finish.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { lastCell, launchBrowser, openLab, openNotebook, runCell, startLab, withinLimit, writeNotebook, type Lab } from './lab.ts';
import { clickBreakpoint, enableDebugger, installDebuggableKernel, startCell, waitFinished } from './debugger-lab.ts';

const KERNEL = 'gcnlab-debug';
/** How JupyterLab's call stack names a notebook cell: by its execution count. */
async function definitionName(cell: Locator): Promise<string> {
  const prompt = await cell.locator('.jp-InputPrompt').innerText();
  return `Cell ${prompt.replace(/:$/, '').trim()}`;
}

const TENSOR_FUNCTION = ['import * as tf from "@tensorflow/tfjs-core";', 'function scale(m: tf.Tensor): tf.Tensor {', '  const doubled = tf.mul(m, 2);', '  return doubled;', '}'].join('\n');
const FUNCTION = ['function double(a: number): number {', '  const twice: number = a * 2;', '  return twice;', '}'].join('\n');

describe('the JupyterLab debugger on a gcnlab notebook', { timeout: 300_000 }, () => {
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  let kernel: ReturnType<typeof installDebuggableKernel> | undefined;

  before(async () => {
    kernel = installDebuggableKernel(KERNEL, 'TypeScript (gcnlab, debugger)');
    lab = await startLab({ JUPYTER_PATH: [kernel.jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(':') });
    browser = await launchBrowser();
    page = await openLab(browser, lab);
  }, { timeout: 240_000 });

  after(async () => {
    await browser?.close();
    await lab?.stop();
    kernel?.cleanup();
  }, { timeout: 60_000 });

  it('stops at a breakpoint clicked beside a line, shows the stack and the local, and continues', () =>
    withinLimit(page, 'debugger', 90_000, async () => {
      writeNotebook(lab, 'debug.ipynb', KERNEL, 'TypeScript (gcnlab, debugger)', 'typescript');
      await openNotebook(page, 'debug.ipynb');
      await enableDebugger(page);

      await runCell(page, FUNCTION);
      const definition = lastCell(page);
      await clickBreakpoint(definition, 2);
      const breakpoint = page.locator('.jp-DebuggerBreakpoint');
      await breakpoint.first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await page.locator('.jp-DebuggerBreakpoint-line').first().innerText(), /^2$/);

      const call = await startCell(page, 'double(20)');
      const frame = page.locator('.jp-DebuggerCallstackFrame').first();
      await frame.waitFor({ state: 'visible', timeout: 20_000 });
      assert.equal(await frame.locator('.jp-DebuggerCallstackFrame-name').innerText(), 'double');
      const location = frame.locator('.jp-DebuggerCallstackFrame-location');
      const where = { shown: await location.innerText(), path: await location.getAttribute('title') };
      // The frame is the cell that defined the function (the path the breakpoint names), at the line clicked.
      assert.equal(where.path, await breakpoint.first().getAttribute('title'));
      assert.equal(where.shown, `${await definitionName(definition)}:2`);
      const variable = page.locator('.jp-DebuggerVariables .jp-TreeItem', { has: page.locator('.jp-DebuggerVariables-name', { hasText: /^a$/ }) });
      await variable.first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await variable.first().locator('.jp-DebuggerVariables-detail').innerText(), '20');
      await page.screenshot({ path: join(process.env.TMPDIR ?? tmpdir(), 'gcnlab-debugger-stopped.png') });
      // The paused cell is still running: the debugger's requests on the control channel do not make the kernel idle.
      assert.equal(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.status), 'busy');

      await page.locator('.jp-DebuggerSidebar [data-command="debugger:continue"]').first().click();
      assert.match(await waitFinished(call), /\[\d+\]/);
      assert.match(await call.locator('.jp-OutputArea-output').innerText(), /^40$/);
    }));

  it('shows a tensor local by dtype, shape, device and values', () =>
    withinLimit(page, 'debugger-tensor', 60_000, async () => {
      await runCell(page, TENSOR_FUNCTION);
      await clickBreakpoint(lastCell(page), 4);
      // The sidebar lists a breakpoint once the kernel has answered setBreakpoints; a cell started before then runs
      // past line 4 (under load the click's request can reach the kernel after the cell's execute_request).
      await page.locator('.jp-DebuggerBreakpoint-line', { hasText: /^4$/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const call = await startCell(page, 'scale(tf.tensor2d([[1, 2], [3, 4]])).shape');
      const frame = page.locator('.jp-DebuggerCallstackFrame').first();
      await frame.locator('.jp-DebuggerCallstackFrame-name', { hasText: /^scale$/ }).waitFor({ timeout: 20_000 });
      const doubled = page.locator('.jp-DebuggerVariables .jp-TreeItem', { has: page.locator('.jp-DebuggerVariables-name', { hasText: /^doubled$/ }) });
      await doubled.first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await doubled.first().locator('.jp-DebuggerVariables-detail').innerText(), /^Tensor float32 \[2,2\] on \w+ \[\[2,4\],\[6,8\]\]$/);
      await page.screenshot({ path: join(process.env.TMPDIR ?? tmpdir(), 'gcnlab-debugger-tensor.png') });
      await page.locator('.jp-DebuggerSidebar [data-command="debugger:continue"]').first().click();
      await waitFinished(call);
      assert.match(await call.locator('.jp-OutputArea-output').innerText(), /^\[\s*2,\s*2\s*\]$/);
    }));
});
