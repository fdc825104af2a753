// The GPU's SM clock as nvidia-smi reads it once, for a row to say how fast the GPU ran around its timed epochs.
// On the H200 the driver lowers the clock within seconds of a light load (event reason 0x1, the GPU idle between
// submissions): 1980 MHz at a process's start, 525-1260 MHz a few seconds later, with the same kernels 2-3.5x
// slower (gpu-2026-12-03-h200-cora-dense-scan-experiment.json, its `clocks`).
import { queryGpu0 } from './nvidia-smi.js';

export interface SmClock {
  smMHz: number;
  /** clocks_event_reasons.active, as nvidia-smi prints it (0x0000000000000001: the GPU idle). */
  reasons: string;
}

/** One reading of GPU 0's SM clock, or undefined where nvidia-smi is not there, hangs or prints no number. */
export function smClock(): SmClock | undefined {
  const [mhz = '', reasons = ''] = queryGpu0(['clocks.sm', 'clocks_event_reasons.active'], false) ?? [];
  const smMHz = mhz === '' ? NaN : Number(mhz);
  return Number.isFinite(smMHz) ? { smMHz, reasons } : undefined;
}
