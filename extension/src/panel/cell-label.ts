// What the cell-times table says about a cell: its first line that is not an import or a comment (usually one), and
// a way to scroll the notebook to it.
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

/** Makes the cell the active one and scrolls it into view. */
export function revealCell(notebook: NotebookPanel, index: number): void {
  const content = notebook.content;
  content.activeCellIndex = index;
  const cell = content.widgets[index];
  if (cell) void content.scrollToCell(cell, 'center');
}
