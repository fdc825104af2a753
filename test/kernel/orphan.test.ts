// A kernel whose Jupyter process dies (killed with SIGKILL, so it cannot shut the kernel down) ends by itself, idle or
// busy in a cell, as ipykernel does: measured side by side with ipykernel in the same test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hasJupyter, installTemporaryKernel, python } from './kernel-harness.js';

/** Starts `kernel` from a Python process with jupyter_client, optionally busy in `busy`, and prints its pid. */
const STARTER = `
import sys, time
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel()
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
if sys.argv[2]:
    kc.execute(sys.argv[2])
    time.sleep(1)
print(km.provisioner.pid, flush=True)
time.sleep(600)
`;

/** Whether `pid` is a live process (a zombie that nobody reaped yet has ended). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

async function orphanedKernelEnds(kernel: string, busy: string, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const starter = spawn(python, ['-c', STARTER, kernel, busy], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    starter.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    starter.once('exit', (code) => reject(new Error(`the starter exited (${code}) before the kernel was ready`)));
  });
  starter.kill('SIGKILL');
  const killed = Date.now();
  while (Date.now() - killed < 15_000) {
    if (!alive(pid)) return Date.now() - killed;
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(pid, 'SIGKILL');
  return undefined;
}

test('a kernel whose Jupyter process was killed ends within seconds, idle or busy, as ipykernel does', { skip: !hasJupyter() && 'jupyter_client is not installed' }, async () => {
  const { env, cleanup } = installTemporaryKernel();
  try {
    for (const [kernel, loop] of [['python3', 'while True: pass'], ['gcnlab', 'while (true) {}']]) {
      for (const busy of ['', loop]) {
        const ms = await orphanedKernelEnds(kernel, busy, env);
        assert.ok(ms !== undefined, `${kernel} (${busy ? 'busy' : 'idle'}) still runs 15 s after its parent was killed`);
      }
    }
  } finally {
    cleanup();
  }
});
