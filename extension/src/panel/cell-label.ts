// What the cell-times table says about a cell: its first line that is not an import or a comment (usually one), and
// a way to scroll the notebook to it, found by its execution count or, where the notebook has none, by its code.
import type { ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';

const SKIPPED = /^\s*(import\b|export\s+\{|\/\/|\/\*|\*|$)/;

/** The first telling line of `source`: not blank, not an import, not a comment; else the first line. */
export function tellingLine(source: string): string {
  const lines = source.split('\n');
  return (lines.find((line) => !SKIPPED.test(line)) ?? lines[0] ?? '').trim();
}

/** The index of the code cell that ran with `executionCount` in `notebook`, or -1. */
export function cellIndex(notebook: NotebookPanel | null, executionCount: number): number {
  const cells = notebook?.content.widgets ?? [];
  return cells.findIndex((cell) => cell.model.type === 'code' && (cell.model as ICodeCellModel).executionCount === executionCount);
}

/**
 * The index of the cell that ran as `executionCount`: by its number, else (a notebook reloaded from disk or opened in
 * a second tab, whose cells have no numbers yet) the code cell holding exactly `source`; -1 when there is none.
 */
export function findCell(notebook: NotebookPanel | null, executionCount: number, source: string | undefined): number {
  const index = cellIndex(notebook, executionCount);
  if (index >= 0 || !source) return index;
  const cells = notebook?.content.widgets ?? [];
  return cells.findIndex((cell) => cell.model.type === 'code' && cell.model.sharedModel.getSource() === source);
}

/** Makes the cell the active one and scrolls it into view. */
export function revealCell(notebook: NotebookPanel, index: number): void {
  const content = notebook.content;
  content.activeCellIndex = index;
  const cell = content.widgets[index];
  if (cell) void content.scrollToCell(cell, 'center');
}
