// The kernel's input history: every stored cell of every session, in a bounded file under the Jupyter data
// directory so that it outlives restarts (ipykernel keeps an sqlite file), and the three history_request queries
// (tail, range with IPython's session numbers, search with globs), answered as IPython's HistoryManager does.
// Several kernels share the file: each takes its session number, appends and trims under a lock (see withLock).
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { HistoryReply, HistoryRequest } from './wire/messages.js';

/** (session, line, input, text/plain of the result or null). */
export type HistoryEntry = [session: number, line: number, input: string, output: string | null];

/** Entries kept across sessions; the oldest go first when a new session starts past it. */
export const HISTORY_LIMIT = 10_000;

/** Jupyter's data directory, as jupyter_core's jupyter_data_dir() finds it. */
export function jupyterDataDir(env = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'jupyter');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter');
}

/**
 * A lock is broken at once when its owner (`<lock>/owner`: host and pid) is a process of this host that has gone, a
 * kernel killed inside it; otherwise only once it is older than this. A live kernel holds it for one read or one
 * append, well under a millisecond on a quiet machine, but a loaded one held it past a second (eight kernels
 * starting together at load 10): breaking a live kernel's lock lets two writers in.
 */
const STALE_LOCK_MS = 10_000;
/** How long a kernel waits for the lock before writing without it (and saying so in the log): past STALE_LOCK_MS, so an abandoned lock is broken first. */
const LOCK_WAIT_MS = 12_000;
/** What this kernel writes into a lock it holds. */
const OWNER = `${os.hostname()} ${process.pid}`;

export class History {
  /** This kernel's session: one more than the highest one in the file, taken under the lock and marked there. */
  readonly session: number;
  private readonly entries: HistoryEntry[];
  private writable = true;

  constructor(
    private readonly file = join(jupyterDataDir(), 'gcnlab', 'history.jsonl'),
    private readonly log: (text: string) => void = () => undefined,
  ) {
    let read = readHistory(file);
    // Two kernels starting at once would both read the same highest session: the number is taken and marked (a
    // `[session]` line, which older readers skip) in one step under the lock, so the next kernel reads it.
    this.write(() =>
      this.withLock(() => {
        read = readHistory(file);
        const session = read.highestSession + 1;
        if (read.entries.length > HISTORY_LIMIT) this.rewrite(read.entries.slice(-HISTORY_LIMIT), session);
        else appendFileSync(file, JSON.stringify([session]) + '\n');
      }),
    );
    this.session = read.highestSession + 1;
    this.entries = read.entries.slice(-HISTORY_LIMIT);
  }

  /** Stores a cell's input as line `line` of this session. */
  add(line: number, input: string): void {
    const entry: HistoryEntry = [this.session, line, input, null];
    this.entries.push(entry);
    // Under the lock, so that another kernel's trimming rewrite cannot drop it.
    this.write(() => this.withLock(() => appendFileSync(this.file, JSON.stringify(entry.slice(0, 3)) + '\n')));
  }

  /** The result of line `line` of this session (kept for this session only, as ipykernel does by default). */
  setOutput(line: number, text: string): void {
    const entry = this.entries.at(-1);
    if (entry && entry[0] === this.session && entry[1] === line) entry[3] = text;
  }

  reply(request: HistoryRequest): HistoryReply {
    const { hist_access_type, output = false } = request;
    const found = hist_access_type === 'tail' ? this.tail(request) : hist_access_type === 'range' ? this.range(request) : this.search(request);
    return { status: 'ok', history: found.map(([session, line, input, out]) => (output ? [session, line, [input, out]] : [session, line, input])) };
  }

  private tail({ n = 10 }: HistoryRequest): HistoryEntry[] {
    return n > 0 ? this.entries.slice(-n) : [];
  }

  /**
   * IPython's numbering: session 0 (or none) is this one, a negative session counts back from it. As IPython's, the
   * entries of this session asked for as 0 say 0; those of any other carry its number.
   */
  private range({ session = 0, start = 0, stop }: HistoryRequest): HistoryEntry[] {
    const wanted = session > 0 ? session : this.session + session;
    const found = this.entries.filter(([s, line]) => s === wanted && line >= start && (stop === undefined || stop === null || line < stop));
    return session === 0 ? found.map(([, line, input, out]) => [0, line, input, out]) : found;
  }

  /** sqlite's GLOB over every session; `unique` keeps the newest of equal inputs; the last `n` matches. */
  private search({ pattern = '*', unique = false, n }: HistoryRequest): HistoryEntry[] {
    const regex = globRegex(pattern);
    let found = this.entries.filter(([, , input]) => regex.test(input));
    if (unique) {
      const newest = new Map(found.map((entry, i) => [entry[2], i]));
      found = found.filter((entry, i) => newest.get(entry[2]) === i);
    }
    return n === undefined || n === null ? found : n > 0 ? found.slice(-n) : [];
  }

  /** A file that cannot be written (read-only home) leaves history in memory for this session, with one log line. */
  private write(action: () => void): void {
    if (!this.writable) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      action();
    } catch (error) {
      this.writable = false;
      this.log(`history is kept in memory only: ${this.file} cannot be written (${(error as Error).message})`);
    }
  }

  /** The newest `entries` and the mark of `session`, written whole and renamed over the file (callers hold the lock). */
  private rewrite(entries: HistoryEntry[], session: number): void {
    const next = `${this.file}.${process.pid}.tmp`;
    writeFileSync(next, entries.map((e) => JSON.stringify(e.slice(0, 3)) + '\n').join('') + JSON.stringify([session]) + '\n');
    renameSync(next, this.file);
  }

  /**
   * Runs `action` holding `<file>.lock`, a directory: mkdir either creates it or fails, atomically, on every local
   * file system, so one kernel at a time reads-and-marks or appends. Synchronous, as the writes are (a cell's input is
   * stored before it runs); the wait is bounded, after which the action runs anyway, once logged.
   */
  private withLock<T>(action: () => T): T {
    const lock = `${this.file}.lock`;
    mkdirSync(dirname(this.file), { recursive: true });
    const deadline = Date.now() + LOCK_WAIT_MS;
    let held = false;
    while (!held) {
      try {
        mkdirSync(lock);
        try {
          writeFileSync(join(lock, 'owner'), OWNER);
        } catch (error) {
          rmSync(lock, { recursive: true, force: true });
          throw error;
        }
        held = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (abandoned(lock)) {
          // Two kernels breaking it at the same moment can race (the later removal may take a lock a third kernel
          // has just made): at worst two appends interleave, which readers tolerate line by line.
          rmSync(lock, { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) {
          this.log(`history: ${lock} has been held for over ${LOCK_WAIT_MS} ms; writing without it (remove it if no kernel is running)`);
          break;
        }
        Atomics.wait(SLEEP, 0, 0, 1);
      }
    }
    try {
      return action();
    } finally {
      if (held) release(lock);
    }
  }
}

/** Whether `lock` was left by a kernel that cannot release it: its owner gone from this host, or held too long. */
function abandoned(lock: string): boolean {
  if (lockAge(lock) > STALE_LOCK_MS) return true;
  let owner: string;
  try {
    owner = readFileSync(join(lock, 'owner'), 'utf8');
  } catch {
    return false; // just made, its owner not yet written (or just released)
  }
  const [host, pid] = owner.split(' ');
  if (host !== os.hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes `lock` if it is still this kernel's (another kernel may have broken it as abandoned and taken it since). */
function release(lock: string): void {
  try {
    if (readFileSync(join(lock, 'owner'), 'utf8') === OWNER) rmSync(lock, { recursive: true, force: true });
  } catch {
    // broken by another kernel: nothing of this kernel's is left to remove
  }
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** Milliseconds since the lock was taken; 0 if it has just gone. */
function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

/** The stored cells, and the highest session number any line names (cells or a session's mark). */
function readHistory(file: string): { entries: HistoryEntry[]; highestSession: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { entries: [], highestSession: 0 };
  }
  const entries: HistoryEntry[] = [];
  let highestSession = 0;
  for (const line of text.split('\n')) {
    // A line cut short (a kernel killed while writing) is skipped, not a reason to lose the rest.
    try {
      const [session, number, input] = JSON.parse(line) as unknown[];
      if (typeof session !== 'number') continue;
      highestSession = Math.max(highestSession, session);
      if (typeof number === 'number' && typeof input === 'string') entries.push([session, number, input, null]);
    } catch {
      continue;
    }
  }
  return { entries, highestSession };
}

/** sqlite's GLOB: `*` any run, `?` one character, `[...]` a class; case-sensitive, whole input. */
function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end);
      source += '[' + (body.startsWith('^') ? '^' + body.slice(1).replace(/\\/g, '\\\\') : body.replace(/\\/g, '\\\\')) + ']';
      i = end;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + source + '$');
}
