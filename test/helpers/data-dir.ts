// Where tests read the shared Cora files: $GCNLAB_DATA_DIR, else ../shared/data beside the repository.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Holds cora/ind.cora.* (what GCNLAB_DATA_DIR points at in CI). */
export const DATA_DIR = process.env.GCNLAB_DATA_DIR ?? resolve(REPO_ROOT, '../shared/data');

/** Runs `fn` with environment variables set (undefined: removed), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}
