// Runs the loader (or the CLI) on crafted input in a child process under a 3 GB address-space limit, timed.
//
// Why the CLI runs on --device cpu there: V8 reserves about 10 GB of address space for every WebAssembly memory
// (guard regions that make bounds checks free), so under a 3 GB limit the wasm device cannot start at all; Node,
// tsx and the cpu device start fine. The limit then bounds everything a crafted file can make the process allocate.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, REPO_ROOT } from '../helpers/data-dir.js';

export const ADDRESS_SPACE_LIMIT = 3 * 2 ** 30;
/**
 * A run still going after this long is killed, and its test fails on the missing answer: the watchdog that catches
 * a hang, or a parse that runs for minutes. Not a timing assertion (the shared test machine's timings are noisy):
 * on an idle machine each run answers in 1-5 s, Node's start-up included.
 */
export const WATCHDOG_SECONDS = 60;

export const PLANETOID_EXTENSIONS = ['x', 'y', 'tx', 'ty', 'allx', 'ally', 'graph', 'test.index'] as const;
export type Extension = (typeof PLANETOID_EXTENSIONS)[number];

export const coraFile = (ext: Extension): Buffer => readFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`));

/** What stands in for one file: crafted bytes, a FIFO, a symbolic link to another path (/dev/zero), or a sparse file of a size. */
export type Crafted = Uint8Array | { fifo: true } | { linkTo: string } | { sparseBytes: number };

/**
 * A data folder holding DATASET/ind.DATASET.* : Cora's bytes, except the crafted ones. As citeseer (the default) it is
 * what the parsers must survive; as cora every other file is the pinned one, so the CLI names the crafted file.
 */
export function craftDataDir(crafted: Partial<Record<Extension, Crafted>>, dataset: 'citeseer' | 'cora' = 'citeseer'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-'));
  mkdirSync(join(dir, dataset));
  for (const ext of PLANETOID_EXTENSIONS) {
    const path = join(dir, dataset, `ind.${dataset}.${ext}`);
    const file = crafted[ext];
    if (file === undefined) copyFileSync(join(DATA_DIR, 'cora', `ind.cora.${ext}`), path);
    else if (file instanceof Uint8Array) writeFileSync(path, file);
    else if ('fifo' in file) {
      if (spawnSync('mkfifo', [path]).status !== 0) throw new Error(`mkfifo ${path} failed`);
    } else if ('sparseBytes' in file) {
      writeFileSync(path, '');
      truncateSync(path, file.sparseBytes);
    } else symlinkSync(file.linkTo, path);
  }
  return dir;
}

export interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs `command args` under the address-space limit (prlimit execs it, so `started` sees the command's own pid);
 * killed after `timeoutSeconds` (the watchdog), so a hang fails the test rather than stalling it.
 */
export function runLimited(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  started?: (child: ChildProcess) => void,
  timeoutSeconds = WATCHDOG_SECONDS,
): Promise<Outcome> {
  const begun = process.hrtime.bigint();
  const child = spawn('prlimit', [`--as=${ADDRESS_SPACE_LIMIT}`, command, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, GCNLAB_DATA_DIR: undefined, GCNLAB_CACHE_DIR: undefined, GCNLAB_DATA_URL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  started?.(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
  return new Promise((done) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout, stderr, seconds: Number(process.hrtime.bigint() - begun) / 1e9 });
    }),
  );
}

/** What the loader child (load-crafted.mjs) reports: the typed error it got, or that none came. */
export interface LoaderReport {
  error?: string;
  code?: string;
  message?: string;
  ok?: boolean;
  outcome: Outcome;
}

/** One call the child makes, as load-crafted.mjs reads it. */
export type LoaderCall =
  | { call: 'planetoid'; dir: string }
  | { call: 'load'; dataset: string; options: Record<string, unknown> }
  | { call: 'synthetic'; options: Record<string, unknown> }
  | { call: 'gcn'; options: Record<string, unknown> }
  | { call: 'csr'; rows: number; cols: number; rowPtr: number[]; colIndex: number[]; values: number[] };

export async function runLoader(call: LoaderCall, env: NodeJS.ProcessEnv = {}): Promise<LoaderReport> {
  const outcome = await runLimited(process.execPath, [join(REPO_ROOT, 'test', 'hostile', 'load-crafted.mjs'), JSON.stringify(call)], env);
  const last = outcome.stdout.trim().split('\n').at(-1) ?? '';
  let report: Omit<LoaderReport, 'outcome'> = {};
  try {
    report = JSON.parse(last) as Omit<LoaderReport, 'outcome'>;
  } catch {
    // No report: the child crashed or was killed; the test prints the outcome.
  }
  return { ...report, outcome };
}

/** `gcnlab train --device cpu ARGS` from the built CLI, under the limit. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, started?: (child: ChildProcess) => void): Promise<Outcome> {
  return runGcnlab(['train', '--device', 'cpu', ...args], env, started);
}

/** `gcnlab ARGS` from the built CLI, under the limit. */
export function runGcnlab(args: string[], env: NodeJS.ProcessEnv = {}, started?: (child: ChildProcess) => void): Promise<Outcome> {
  return runLimited(process.execPath, [join(REPO_ROOT, 'bin', 'gcnlab.js'), ...args], env, started);
}

/**
 * The CLI on a copy of Cora whose `ext` file is `crafted`: Cora's files are pinned, so it must exit 2 with one line
 * naming that file and its wrong SHA-256, before parsing a byte of it, under the limit.
 */
export async function assertCliRefusesCraftedCora(ext: Extension, crafted: Crafted): Promise<void> {
  const dir = craftDataDir({ [ext]: crafted }, 'cora');
  try {
    const cli = await runCli(['--data-dir', dir, '--dataset', 'cora']);
    assert.equal(cli.status, 2, describeOutcome(cli));
    const name = `${dir}/cora/ind.cora.${ext}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(cli.stderr, new RegExp(`^gcnlab train: file '${name}' is corrupt or truncated: SHA-256 [0-9a-f]{64} but expected [0-9a-f]{64}\\. [^\\n]*\\n$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeOutcome(outcome: Outcome): string {
  const watchdog = outcome.signal === 'SIGKILL' && outcome.seconds >= WATCHDOG_SECONDS ? ` (killed by the ${WATCHDOG_SECONDS} s watchdog: a hang)` : '';
  return `exit ${outcome.status} signal ${outcome.signal} after ${outcome.seconds.toFixed(1)} s${watchdog}\nstdout: ${outcome.stdout.slice(-2000)}\nstderr: ${outcome.stderr.slice(-2000)}`;
}
