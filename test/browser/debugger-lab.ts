// The debugger's moves in JupyterLab (beside lab.ts): a kernelspec that declares the debugger, the bug icon, a
// breakpoint clicked into a cell's gutter, a cell started without waiting for it (it stops at the breakpoint).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from './lab.ts';

/**
 * JupyterLab 4 shows the bug icon for a kernel whose kernelspec says `metadata.debugger: true` (its DebuggerService
 * reads the spec, not kernel_info). The spec `gcnlab kernel install` writes, as is, under its own name in a fresh
 * prefix (it must declare the debugger); returns the JUPYTER_PATH entry that finds it and how to remove it.
 */
export function installDebuggableKernel(name: string, displayName: string): { jupyterPath: string; cleanup(): void } {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-debug-kernel-'));
  const installed = spawnSync(process.execPath, [join(ROOT, 'bin/gcnlab.js'), 'kernel', 'install', '--prefix', prefix, '--name', name, '--display-name', displayName], { encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`kernel install failed: ${installed.stderr}`);
  const specFile = join(prefix, 'share', 'jupyter', 'kernels', name, 'kernel.json');
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  if (spec.metadata?.debugger !== true) throw new Error(`gcnlab kernel install wrote a spec without metadata.debugger: true (${JSON.stringify(spec.metadata)}): JupyterLab would show no bug icon`);
  return { jupyterPath: join(prefix, 'share', 'jupyter'), cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
}

/** The notebook toolbar's bug icon, pressed, and the debugger's tab in the right side bar opened. */
export async function enableDebugger(page: Page): Promise<void> {
  const bug = page.locator('.jp-NotebookPanel:visible .jp-DebuggerBugButton');
  await bug.waitFor({ state: 'visible', timeout: 30_000 });
  // The icon answers once JupyterLab has asked the kernel's spec and session; until then a click does nothing.
  const pressed = () => page.evaluate(() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-DebuggerBugButton [aria-pressed], .jp-NotebookPanel:not(.lm-mod-hidden) .jp-DebuggerBugButton[aria-pressed]')?.getAttribute('aria-pressed') === 'true');
  const deadline = Date.now() + 30_000;
  while (!(await pressed())) {
    if (Date.now() > deadline) throw new Error('the bug icon did not turn the debugger on within 30 s');
    await bug.click();
    await page.waitForTimeout(500);
  }
  await page.locator('li.lm-TabBar-tab[data-id="jp-debugger-sidebar"]').click();
  await page.locator('.jp-DebuggerSidebar').waitFor({ state: 'visible' });
}

/** Clicks the breakpoint gutter beside line `line` (1-based) of a cell's editor, as a user clicks by the line number. */
export async function clickBreakpoint(cell: Locator, line: number): Promise<void> {
  const gutter = await cell.locator('.cm-gutter.cm-breakpoint-gutter').boundingBox();
  const text = await cell.locator('.cm-line').nth(line - 1).boundingBox();
  if (!gutter || !text) throw new Error(`cell has no breakpoint gutter or no line ${line}: is the debugger on?`);
  await cell.page().mouse.click(gutter.x + gutter.width / 2, text.y + text.height / 2);
}

let started = 0;

/** Puts `code` into a new last cell and runs it with Shift+Enter without waiting for it; returns the cell. */
export async function startCell(page: Page, code: string): Promise<Locator> {
  const mark = `debug-${++started}`;
  await page.evaluate(
    ({ code, mark }) => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      const index = notebook.widgets.length;
      notebook.model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
      notebook.activeCellIndex = index;
      notebook.widgets[index].node.setAttribute('data-test-cell', mark);
      notebook.mode = 'command';
    },
    { code, mark },
  );
  const cell = page.locator(`[data-test-cell="${mark}"]`);
  await cell.locator('.jp-InputPrompt').click();
  await page.keyboard.press('Shift+Enter');
  return cell;
}

/** Waits for a cell's prompt to show its execution count (it finished). */
export async function waitFinished(cell: Locator, timeout = 30_000): Promise<string> {
  const prompt = cell.locator('.jp-InputPrompt');
  await prompt.filter({ hasText: /\[\d+\]/ }).waitFor({ timeout });
  return prompt.innerText();
}
