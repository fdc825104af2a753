// Browser-test harness: `npm start` on a free port against a temporary notebook folder, headless Debian Chromium
// through playwright-core, and the notebook moves a user makes (open with a kernel, run a cell, read its output).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { freePort } from '../helpers/free-port.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results', 'browser');

export interface Lab {
  base: string;
  token: string;
  notebookDir: string;
  log: () => string;
  stop: () => Promise<void>;
}

/** Starts `npm start -- --port P --no-browser` on a fresh notebook folder; resolves once it prints the URL. */
export async function startLab(env: NodeJS.ProcessEnv = {}): Promise<Lab> {
  const notebookDir = mkdtempSync(join(tmpdir(), 'gcnlab-browser-'));
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'scripts', 'start.mjs'), '--port', String(port), '--no-browser', '--notebook-dir', notebookDir],
    { cwd: ROOT, env: { ...process.env, GCNLAB_LAB_STATE_DIR: join(notebookDir, '.lab-state'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 180 s:\n${output}`)), 180_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /open (http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before serving:\n${output}`));
    });
  });
  const { origin, searchParams } = new URL(url);
  const token = searchParams.get('token')!;
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  return {
    base: origin,
    token,
    notebookDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      await fetch(`${origin}/api/shutdown`, { method: 'POST', headers: { Authorization: `token ${token}` } }).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

/** Opens JupyterLab and waits for the app (and our federated extension) to be ready. */
export async function openLab(browser: Browser, lab: Lab): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.stack ?? error.message}`));
  await page.goto(`${lab.base}/lab?token=${lab.token}`);
  await page.waitForFunction(() => (window as any).jupyterapp?.hasPlugin?.('gcnlab-jupyterlab:plugin'), null, { timeout: 90_000 });
  return page;
}

/** Writes a notebook whose metadata names `kernelName`, so JupyterLab starts that kernel when opening it. */
export function writeNotebook(lab: Lab, name: string, kernelName: string, displayName: string, language: string): string {
  const notebook = {
    cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
    metadata: { kernelspec: { name: kernelName, display_name: displayName, language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  mkdirSync(lab.notebookDir, { recursive: true });
  writeFileSync(join(lab.notebookDir, name), JSON.stringify(notebook));
  return name;
}

/** Opens a notebook and waits until its kernel is idle. */
export async function openNotebook(page: Page, path: string): Promise<void> {
  await page.evaluate(async (path) => {
    const app = (window as any).jupyterapp;
    await app.commands.execute('docmanager:open', { path });
  }, path);
  await page.waitForFunction(
    (path) => {
      const widget = (window as any).jupyterapp.shell.currentWidget;
      return widget?.context?.path === path && widget.sessionContext?.session?.kernel?.status === 'idle';
    },
    path,
    { timeout: 90_000 },
  );
}

let cellsRun = 0;

/** Puts `code` into a new last cell of the current notebook, runs it with Shift+Enter, returns its output text. */
export async function runCell(page: Page, code: string, timeout = 60_000): Promise<string> {
  const mark = String(++cellsRun);
  await page.evaluate(
    ({ code, mark }) => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      const last = notebook.widgets.length - 1;
      const lastCell = notebook.widgets[last];
      let index = last;
      if (lastCell.model.sharedModel.getSource() !== '' || lastCell.model.executionCount !== null) {
        notebook.model.sharedModel.insertCell(last + 1, { cell_type: 'code', source: '' });
        index = last + 1;
      }
      notebook.activeCellIndex = index;
      const cell = notebook.widgets[index];
      cell.model.sharedModel.setSource(code);
      cell.node.setAttribute('data-test-cell', mark);
      notebook.mode = 'command';
    },
    { code, mark },
  );
  const cell = page.locator(`[data-test-cell="${mark}"]`);
  await cell.locator('.jp-InputPrompt').click();
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(
    (mark) => /\[\d+\]/.test(document.querySelector(`[data-test-cell="${mark}"] .jp-InputPrompt`)?.textContent ?? ''),
    mark,
    { timeout },
  );
  return (await cell.locator('.jp-OutputArea-output').allInnerTexts()).join('\n');
}

/** The current notebook's cell that `runCell` ran last. */
export function lastCell(page: Page) {
  return page.locator(`[data-test-cell="${cellsRun}"]`);
}

/** Opens the timing panel through its command (as the palette, menu and status bar item do). */
export async function openPanel(page: Page): Promise<void> {
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('gcnlab:open-timing-panel'));
  await page.locator('#gcnlab-timing-panel').waitFor({ state: 'visible' });
}

export function resultsDir(): string {
  mkdirSync(RESULTS, { recursive: true });
  return RESULTS;
}

/** Runs `body` with a time limit, saving a screenshot of the page if it fails or runs out of time. */
export async function withinLimit<T>(page: Page | null, name: string, ms: number, body: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: still running after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([body(), limit]);
  } catch (error) {
    if (page) await page.screenshot({ path: join(resultsDir(), `FAILED-${name}.png`) }).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
