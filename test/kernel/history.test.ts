// The history file shared by several kernels (kernel/history.ts): kernels started at the same moment each get their
// own session number and every cell they store is kept; a lock left by a killed kernel does not stop the next one.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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

test("a fresh lock whose kernel is gone from this machine is broken at once, without waiting for it to age", () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-history-'));
  try {
    const file = join(dir, 'history.jsonl');
    new History(file).add(1, 'first');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(`${file}.lock`);
    writeFileSync(join(`${file}.lock`, 'owner'), `${hostname()} ${gone.stdout}`);
    const started = Date.now();
    const next = new History(file);
    next.add(1, 'second');
    assert.ok(Date.now() - started < 1000, `waited ${Date.now() - started} ms for a dead kernel's lock`);
    assert.deepEqual(new History(file).reply({ hist_access_type: 'tail', n: 1, output: false, raw: true }).history, [[2, 1, 'second']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live kernel holding the lock past a second (a loaded machine) is waited for, not broken: its lock is intact when it lets go', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcnlab-history-'));
  try {
    const file = join(dir, 'history.jsonl');
    new History(file).add(1, 'first');
    const lock = `${file}.lock`;
    // Another kernel's process takes the lock as History does, holds it, and says whether it was still its own.
    const holder = spawn(process.execPath, ['-e', `
      const fs = require('node:fs'), os = require('node:os');
      fs.mkdirSync(${JSON.stringify(lock)});
      const owner = os.hostname() + ' ' + process.pid;
      fs.writeFileSync(${JSON.stringify(join(lock, 'owner'))}, owner);
      process.stdout.write('held\\n');
      // Held until 1.5 s after the next kernel starts waiting for it, however long that one takes to start.
      const poll = setInterval(() => fs.existsSync(${JSON.stringify(join(dir, 'waiting'))}) && (clearInterval(poll), setTimeout(release, 1500)), 10);
      function release() {
        let mine = false;
        try { mine = fs.readFileSync(${JSON.stringify(join(lock, 'owner'))}, 'utf8') === owner; } catch {}
        if (mine) fs.rmSync(${JSON.stringify(lock)}, { recursive: true });
        process.stdout.write(mine ? 'intact\\n' : 'broken\\n');
      }
    `]);
    let out = '';
    await new Promise<void>((resolve) => holder.stdout.on('data', (d) => (out += d).includes('held') && resolve()));
    const closed = new Promise<void>((resolve) => holder.on('close', () => resolve()));
    // The next kernel in a process of its own (History waits synchronously), started once the lock is held.
    const next = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { History } from ${JSON.stringify(join(root, 'kernel/history.ts'))};
      const logged = [];
      const { writeFileSync } = await import('node:fs');
      writeFileSync(${JSON.stringify(join(dir, 'waiting'))}, '');
      const started = Date.now();
      new History(${JSON.stringify(file)}, (line) => logged.push(line)).add(1, 'second');
      process.stdout.write(JSON.stringify({ waited: Date.now() - started, logged }));
    `], { cwd: root });
    let answer = '';
    next.stdout.on('data', (d) => (answer += d));
    await new Promise<void>((resolve) => next.on('close', () => resolve()));
    const { waited, logged } = JSON.parse(answer) as { waited: number; logged: string[] };
    await closed;
    assert.equal(out.trim().split('\n').at(-1), 'intact', 'the holder found its lock taken from it');
    assert.ok(waited >= 1500, `the next kernel took the lock after ${waited} ms, before its holder let go`);
    assert.deepEqual(logged, []);
    assert.deepEqual(new History(file).reply({ hist_access_type: 'tail', n: 1, output: false, raw: true }).history, [[2, 1, 'second']]);
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
