// Finished runs kept in the notebook's metadata (`gcnlab.runs`), as jupyterlab-execute-time keeps cell times: saved
// with the notebook, so reopening it or restarting its kernel still lists them, as earlier runs.
import type { INotebookModel } from '@jupyterlab/notebook';
import type { RunRow } from './record';

export const METADATA_KEY = 'gcnlab';
/** The newest runs kept; older ones leave the notebook. */
export const RUNS_KEPT = 500;

type StoredRun = Omit<RunRow, 'index' | 'key' | 'earlier'>;

interface GcnlabMetadata {
  runs?: StoredRun[];
}

function metadata(model: INotebookModel): GcnlabMetadata {
  const value = model.getMetadata(METADATA_KEY) as GcnlabMetadata | undefined;
  return value && typeof value === 'object' ? value : {};
}

function keyOf(run: StoredRun): string {
  return `${run.session}/${run.runId}`;
}

/** The notebook's runs, oldest first; `currentSession`'s are left out (the kernel itself lists them). */
export function earlierRuns(model: INotebookModel, currentSession: string | null): RunRow[] {
  const stored = Array.isArray(metadata(model).runs) ? metadata(model).runs! : [];
  return stored
    .filter((run) => run && typeof run.runId === 'string' && run.session !== currentSession)
    .map((run, i) => ({ ...run, index: i + 1, key: keyOf(run), earlier: true }));
}

/** Adds the runs the notebook does not hold yet (a second tab or a reload adds nothing twice). */
export function keepRuns(model: INotebookModel, runs: readonly RunRow[]): void {
  const current = metadata(model);
  const stored = Array.isArray(current.runs) ? current.runs : [];
  const known = new Set(stored.map(keyOf));
  const added = runs.filter((run) => !known.has(run.key)).map(({ index: _index, key: _key, earlier: _earlier, ...run }) => run);
  if (!added.length) return;
  model.setMetadata(METADATA_KEY, { ...current, runs: [...stored, ...added].slice(-RUNS_KEPT) });
}
