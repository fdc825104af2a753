// `npm start` keeps the server's token off every command line, where any local user could read it with ps.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { REPO_ROOT } from '../helpers/data-dir.js';
import { freePort } from '../helpers/free-port.js';

/** The command line of every process this user can see, with its pid. */
function commandLines(): { pid: string; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        return [{ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ') }];
      } catch {
        return []; // exited meanwhile
      }
    });
}

it('npm start serves with a token that no process holds on its command line', { timeout: 240_000 }, async () => {
  const notebookDir = mkdtempSync(join(tmpdir(), 'gcnlab-token-'));
  const port = await freePort();
  // detached: its own process group, so the server and everything npm started stop together.
  const start = spawn('npm', ['start', '--', '--no-browser', '--port', String(port), '--notebook-dir', notebookDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, GCNLAB_LAB_STATE_DIR: join(notebookDir, '.lab-state') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((done) => start.on('exit', () => done()));
  try {
    const token = await new Promise<string>((done, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 200 s:\n${output}`)), 200_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /open http:\/\/127\.0\.0\.1:\d+\/lab\?token=(\w+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1]);
        }
      };
      start.stdout.on('data', read);
      start.stderr.on('data', read);
      start.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${output}`)));
    });
    assert.match(token, /^[0-9a-f]{48}$/);
    // The token works: the server really took it from the environment.
    const api = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } });
    assert.equal(api.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/status`)).status, 403);
    const lines = commandLines();
    assert.ok(lines.some(({ cmdline }) => cmdline.includes('gcnlab_lab')), 'the server is among the processes looked at');
    assert.deepEqual(lines.filter(({ cmdline }) => cmdline.includes(token)), [], 'no command line holds the token');
  } finally {
    if (start.exitCode === null) process.kill(-start.pid!, 'SIGTERM');
    const timer = setTimeout(() => start.exitCode === null && process.kill(-start.pid!, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(notebookDir, { recursive: true, force: true });
  }
});
