// Mean, median and 95th percentile of epoch times (quantiles interpolated as numpy's default).

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function epochStats(ms: readonly number[]): { meanMs: number; medianMs: number; p95Ms: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    meanMs: ms.length ? ms.reduce((s, x) => s + x, 0) / ms.length : NaN,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
  };
}
