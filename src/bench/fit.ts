// Least-squares fits of time against size: how cost grows with the graph.

export interface LinearFit {
  /** y = intercept + slope * x */
  slope: number;
  intercept: number;
  /** Coefficient of determination, 1 = a perfect line. */
  r2: number;
}

/** Ordinary least squares of y on x. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n < 2 || y.length !== n) return { slope: NaN, intercept: NaN, r2: NaN };
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** The exponent k of y ~ x^k (a straight line on log-log axes): 1 means linear growth. */
export function powerLawFit(x: readonly number[], y: readonly number[]): LinearFit {
  return linearFit(x.map(Math.log), y.map(Math.log));
}
