// A TypeScript script run in a child process that answers one JSON request with one JSON line, killed after a
// timeout and tried once more: for native code (Dawn) that may stop answering or abort, so a hang or a native crash
// costs one retry, not the suite.
import { spawnSync } from 'node:child_process';

export interface AskOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** What the answer is about, for the error message. */
  what: string;
}

/** The last line `script` prints for `request`, parsed; throws naming `what` and every attempt's end when it fails twice. */
export function askChild<T>(script: string, request: unknown, { timeoutMs, env, what }: AskOptions): T {
  const ends: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(request)], { encoding: 'utf8', timeout: timeoutMs, env, maxBuffer: 2 ** 26 });
    if (child.status === 0) return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
    ends.push(`attempt ${attempt}: ${child.error?.message ?? `exit ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`}`);
    // A child that exited with a status failed in its script and would fail the same way. One that timed out, or that
    // native code killed with a signal, is tried once more. (CI once saw Dawn's null backend abort on
    // "std::system_error: Invalid argument" in one of twelve identical children: dawn-null.ts had left its Dawn
    // instance to the garbage collector, which ends the instance's devices; it keeps it now.)
    const nativeEnd = child.error !== undefined || child.signal !== null;
    if (attempt === 2 || !nativeEnd) throw new Error(`${what} did not answer: ${ends.join('; ')}`);
  }
}
