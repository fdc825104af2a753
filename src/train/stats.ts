// Summary statistics of per-epoch times: what a run's summary and a benchmark row report.

export interface TimingStats {
  meanMs: number;
  stdMs: number;
  medianMs: number;
  minMs: number;
  p95Ms: number;
}

/** The q-quantile (0..1) of ascending `sorted`, interpolated linearly between order statistics (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Mean, sample standard deviation, median, minimum and 95th percentile of `samples`; NaN for none. */
export function timingStats(samples: readonly number[]): TimingStats {
  if (samples.length === 0) return { meanMs: NaN, stdMs: NaN, medianMs: NaN, minMs: NaN, p95Ms: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const variance = samples.length > 1 ? samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (samples.length - 1) : 0;
  return {
    meanMs: mean,
    stdMs: Math.sqrt(variance),
    medianMs: quantile(sorted, 0.5),
    minMs: sorted[0],
    p95Ms: quantile(sorted, 0.95),
  };
}
