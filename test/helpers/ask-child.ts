// A TypeScript script run in a child process that answers one JSON request with one JSON line, killed after a
// timeout and tried once more: for native code (Dawn) that may stop answering, so a hang costs one retry, not the suite.
import { spawnSync } from 'node:child_process';

export interface AskOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** What the answer is about, for the error message. */
  what: string;
}

/** The last line `script` prints for `request`, parsed; throws naming `what` when it fails or times out twice. */
export function askChild<T>(script: string, request: unknown, { timeoutMs, env, what }: AskOptions): T {
  for (let attempt = 1; ; attempt++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(request)], { encoding: 'utf8', timeout: timeoutMs, env, maxBuffer: 2 ** 26 });
    if (child.status === 0) return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
    const why = child.error?.message ?? `exit ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`;
    // Only a child that did not answer in time is tried again; one that failed would fail the same way.
    if (attempt === 2 || child.error === undefined) throw new Error(`${what} did not answer (attempt ${attempt}): ${why}`);
  }
}
