// Peak GPU memory of one benchmark row, read the same way for every side: nvidia-smi sampled every 20 ms while the
// row runs, less what was in use before it (WebGPU reports no memory; PyTorch's and JAX's allocators each count
// their own, differently).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const QUERY = ['--query-gpu=memory.used', '--format=csv,noheader,nounits'];

function usedMiB(text: string): number[] {
  return text
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((x) => Number.isFinite(x) && x > 0);
}

export class GpuMemorySampler {
  private child: ChildProcess | null = null;
  private peak = 0;
  private before = 0;

  /** Starts sampling; false where nvidia-smi is not there (the rows then carry no peak). */
  start(): boolean {
    const once = spawnSync('nvidia-smi', QUERY, { encoding: 'utf8' });
    if (once.status !== 0) return false;
    this.before = usedMiB(once.stdout)[0] ?? 0;
    this.peak = this.before;
    this.child = spawn('nvidia-smi', [...QUERY, '-lms', '20'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const v of usedMiB(chunk)) this.peak = Math.max(this.peak, v);
    });
    return true;
  }

  /** Stops sampling: the peak over the row, in MiB above what was in use at start(), or undefined. */
  async stop(): Promise<number | undefined> {
    if (!this.child) return undefined;
    // One more sample after the row, in case it ended between two.
    await new Promise((r) => setTimeout(r, 60));
    this.child.kill();
    this.child = null;
    return this.peak - this.before;
  }
}
