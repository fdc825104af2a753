// The GPU's name as nvidia-smi gives it ("NVIDIA H100 80GB HBM3"), for a results file to say which card it ran on:
// Dawn's adapter string names only the vendor and driver, the same on an H100 as on an H200.
import { spawnSync } from 'node:child_process';

/** A reading that takes longer than this is given up (nvidia-smi answers in tens of ms). */
const READ_MS = 5000;

/** GPU 0's name, or undefined where nvidia-smi is not there, hangs or prints none. */
export function cardName(): string | undefined {
  const r = spawnSync('nvidia-smi', ['--id=0', '--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: READ_MS });
  const name = r.status === 0 ? r.stdout.split('\n')[0].trim() : '';
  return name || undefined;
}
