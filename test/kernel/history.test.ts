// The history file shared by several kernels (kernel/history.ts): kernels started at the same moment each get their
// own session number and every cell they store is kept; a lock left by a killed kernel does not stop the next one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { History, HISTORY_LIMIT } from '../../kernel/history.js';
import { root } from './kernel-harness.js';

const KERNELS = 8;
const CELLS = 20;

/** One kernel's history in its own process: waits for `startAt` (so that all start together), stores CELLS cells. */
function kernelProcess(file: string, startAt: number): Promise<number> {
  const script = `
    import { History } from ${JSON.stringify(join(root, 'kernel/history.ts'))};
    while (Date.now() < ${startAt});
    const history = new History(${JSON.stringify(file)});
    for (let i = 1; i <= ${CELLS}; i++) history.add(i, 'cell ' + i + ' of session ' + history.session);
    process.stdout.write(String(history.session));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`history process failed (${code}): ${err}`))));
  });
}

test('kernels writing one history file at once each get their own session, and keep every cell', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-history-'));
  try {
    const file = join(dir, 'history.jsonl');
    new History(file).add(1, 'an earlier session');
    // Far enough ahead that every process has loaded tsx and waits at the same line.
    const startAt = Date.now() + 4000;
    const sessions = await Promise.all(Array.from({ length: KERNELS }, () => kernelProcess(file, startAt)));
    assert.deepEqual([...sessions].sort((a, b) => a - b), Array.from({ length: KERNELS }, (_, i) => i + 2));
    const later = new History(file);
    assert.equal(later.session, KERNELS + 2);
    for (const session of sessions) {
      const cells = later.reply({ hist_access_type: 'range', session, start: 1, output: false, raw: true });
      assert.deepEqual(cells.history.map((entry) => entry[2]), Array.from({ length: CELLS }, (_, i) => `cell ${i + 1} of session ${session}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock left by a kernel killed while writing is broken, not waited on for ever', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-history-'));
  try {
    const file = join(dir, 'history.jsonl');
    new History(file).add(1, 'first');
    const lock = `${file}.lock`;
    mkdirSync(lock);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    const logged: string[] = [];
    const next = new History(file, (line) => logged.push(line));
    next.add(1, 'second');
    assert.equal(next.session, 2);
    assert.deepEqual(logged, []);
    assert.deepEqual(new History(file).reply({ hist_access_type: 'tail', n: 2, output: false, raw: true }).history, [
      [1, 1, 'first'],
      [2, 1, 'second'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file stays bounded: a new session keeps the newest HISTORY_LIMIT cells, as ipykernel keeps its sqlite bounded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-history-'));
  try {
    const file = join(dir, 'history.jsonl');
    const extra = 25;
    const lines = Array.from({ length: HISTORY_LIMIT + extra }, (_, i) => JSON.stringify([1 + Math.floor(i / 1000), (i % 1000) + 1, `cell ${i}`]));
    writeFileSync(file, lines.join('\n') + '\n');
    const next = new History(file);
    assert.equal(next.session, Math.floor((HISTORY_LIMIT + extra - 1) / 1000) + 2, 'numbered after the highest session');
    const kept = readFileSync(file, 'utf8').trim().split('\n');
    // The newest cells and the new session's mark; the oldest `extra` are gone.
    assert.equal(kept.length, HISTORY_LIMIT + 1);
    assert.equal(JSON.parse(kept[0])[2], `cell ${extra}`);
    assert.equal(JSON.parse(kept.at(-2)!)[2], `cell ${HISTORY_LIMIT + extra - 1}`);
    const found = next.reply({ hist_access_type: 'search', pattern: 'cell 0', output: false, raw: true });
    assert.deepEqual(found.history, [], 'the oldest cell is no longer found');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
