// One reading of GPU 0 through nvidia-smi (the one the bench's Dawn adapter and the peers use on the one-GPU device
// machine): the fields asked for, and the card's name, which Dawn's adapter string does not give (it names only the
// vendor and driver, the same on an H100 as on an H200).
import { spawnSync } from 'node:child_process';

/** A reading that takes longer than this is given up (nvidia-smi answers in tens of ms). */
const READ_MS = 5000;

/** GPU 0's `fields` (nvidia-smi --query-gpu names), trimmed, or undefined where nvidia-smi is not there, hangs or prints nothing. */
export function queryGpu0(fields: string[], units = true): string[] | undefined {
  const r = spawnSync('nvidia-smi', ['--id=0', `--query-gpu=${fields.join(',')}`, `--format=csv,noheader${units ? '' : ',nounits'}`], { encoding: 'utf8', timeout: READ_MS });
  const line = r.status === 0 && r.stdout ? r.stdout.split('\n')[0].trim() : '';
  return line ? line.split(',').map((s) => s.trim()) : undefined;
}

/** GPU 0's name ("NVIDIA H100 80GB HBM3"), or undefined where nvidia-smi gives none. */
export function cardName(): string | undefined {
  return queryGpu0(['name'])?.[0] || undefined;
}
