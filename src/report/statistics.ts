/*
 * Small-sample statistics for replications: Student-t confidence intervals and Welch's test.
 * Replications use independent seeds, so their outputs are independent draws of the same
 * random variable; with n of 5-30 the t distribution, not the normal, gives honest intervals.
 */

/** Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  // Exact table for small df; the Cornish-Fisher expansion is accurate to 1e-4 beyond it.
  const table = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098,
    2.1009, 2.093, 2.086,
  ];
  if (Number.isInteger(df) && df <= table.length) return table[df - 1];
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1). */
  sd: number;
  /** Half-width of the 95 % confidence interval of the mean (0 when n < 2). */
  halfWidth: number;
  low: number;
  high: number;
}

export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const halfWidth = n > 1 ? tQuantile975(n - 1) * (sd / Math.sqrt(n)) : 0;
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/**
 * Whether the mean difference of paired samples (a[i] and b[i] ran with the same seed: common
 * random numbers) differs from 0 at the 5 % level (paired t test, two-sided). Pairing removes
 * the noise both share, so it detects smaller changes than an unpaired test.
 */
export function pairedDifferenceSignificant(a: readonly number[], b: readonly number[]): boolean {
  const d = meanInterval(a.map((x, i) => b[i] - x));
  if (d.n < 2 || d.sd === 0) return d.mean !== 0;
  return Math.abs(d.mean) > d.halfWidth;
}

/** Whether two samples' means differ at the 5 % level (Welch's unequal-variance t test, two-sided). */
export function significantlyDifferent(a: readonly number[], b: readonly number[]): boolean {
  const x = meanInterval(a);
  const y = meanInterval(b);
  if (x.n < 2 || y.n < 2) return x.mean !== y.mean;
  const va = x.sd ** 2 / x.n;
  const vb = y.sd ** 2 / y.n;
  if (va + vb === 0) return x.mean !== y.mean;
  const t = Math.abs(x.mean - y.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (x.n - 1) + vb ** 2 / (y.n - 1));
  return t > tQuantile975(df);
}

/**
 * P(X >= k) for X ~ Binomial(n, p), summed exactly from the probability of k upwards (each term
 * from the one before, in floating point: relative error around 1e-12 for n up to millions).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  let logTerm = k * Math.log(p) + (n - k) * Math.log1p(-p);
  for (let i = 1; i <= k; i++) logTerm += Math.log((n - k + i) / i);
  const odds = p / (1 - p);
  let term = Math.exp(logTerm);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    sum += term;
    // Past the mode the terms only shrink: stop once they no longer change the sum.
    if (j >= n * p && term < sum * 1e-16) break;
    term *= ((n - j) / (j + 1)) * odds;
  }
  return Math.min(1, sum);
}
