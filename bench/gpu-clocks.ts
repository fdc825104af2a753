// The GPU's SM clock as nvidia-smi reads it once, for a row to say how fast the GPU ran around its timed epochs.
// On the H200 the driver lowers the clock within seconds of a light load (event reason 0x1, the GPU idle between
// submissions): 1980 MHz at a process's start, 525-1260 MHz a few seconds later, with the same kernels 2-3.5x
// slower (gpu-2026-12-03-h200-cora-dense-scan-experiment.json, its `clocks`).
import { spawnSync } from 'node:child_process';

export interface SmClock {
  smMHz: number;
  /** clocks_event_reasons.active, as nvidia-smi prints it (0x0000000000000001: the GPU idle). */
  reasons: string;
}

/** A reading that takes longer than this is given up (nvidia-smi answers in tens of ms). */
const READ_MS = 5000;

/**
 * One reading of the SM clock of GPU 0 (the one the bench's Dawn adapter and the peers use on the one-GPU machine),
 * or undefined where nvidia-smi is not there, hangs or prints no number.
 */
export function smClock(): SmClock | undefined {
  const r = spawnSync('nvidia-smi', ['--id=0', '--query-gpu=clocks.sm,clocks_event_reasons.active', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: READ_MS });
  if (r.status !== 0 || !r.stdout) return undefined;
  const [mhz = '', reasons = ''] = r.stdout.split('\n')[0].split(',').map((s) => s.trim());
  const smMHz = mhz === '' ? NaN : Number(mhz);
  return Number.isFinite(smMHz) ? { smMHz, reasons } : undefined;
}
