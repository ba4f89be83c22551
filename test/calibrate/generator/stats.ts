/**
 * Exact distribution functions of the generator's truth and the tolerances a fit of n samples can be
 * held to. Hand-written here (not lambdasim's) for the same reason as the PRNG.
 */

/** Φ⁻¹(0.99): the lognormal's p99 is median × exp(Z99 σ). */
export const Z99 = 2.3263478740408408;

/** Evaluates the polynomial with coefficients `cs` (highest power first) at x, Horner's way. */
const poly = (cs: readonly number[], x: number): number => cs.reduce((acc, c) => acc * x + c, 0);

const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];
const ERFCC = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223];

/** Standard normal quantile (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(ACKLAM_C, q) / poly(ACKLAM_D, q);
  }
  if (p <= 1 - low) {
    const q = p - 0.5;
    return (poly(ACKLAM_A, q * q) * q) / poly(ACKLAM_B, q * q);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -poly(ACKLAM_C, q) / poly(ACKLAM_D, q);
}

/** Standard normal CDF via the Chebyshev-fitted erfc of Numerical Recipes (erfcc; relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z + poly(ERFCC, t));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** A lognormal given as its median and p99 (how lambdasim scenarios and the issue state distributions). */
export interface Lognormal {
  medianMs: number;
  p99Ms: number;
}

export function lognormalParams(law: Lognormal): { mu: number; sigma: number } {
  const mu = Math.log(law.medianMs);
  return { mu, sigma: (Math.log(law.p99Ms) - mu) / Z99 };
}

export function lognormalQuantile(law: Lognormal, p: number): number {
  const { mu, sigma } = lognormalParams(law);
  return Math.exp(mu + sigma * normalQuantile(p));
}

/** An interval a fitted figure must fall in. */
export interface Bounds {
  lo: number;
  hi: number;
}

export function within(value: number, bounds: Bounds): boolean {
  return value >= bounds.lo && value <= bounds.hi;
}

/**
 * Where the sample p-quantile of n draws from a law with quantile function `quantile` lies with
 * probability about 1 − 2Φ(−z): the order-statistic (binomial) bound. The rank of the sample quantile
 * is Binomial(n, p), so it lies within n p ± z √(n p (1 − p)); the sample quantile then lies between
 * the law's quantiles at those ranks. `relativeSlack` widens both ends for a sketch's stated relative
 * accuracy and the 0.01 ms rounding of the logs.
 */
export function sampleQuantileBounds(quantile: (p: number) => number, p: number, n: number, z: number, relativeSlack = 0): Bounds {
  const half = z * Math.sqrt((p * (1 - p)) / n) + 1 / n;
  const pLo = Math.max(p - half, 0.5 / n);
  const pHi = Math.min(p + half, 1 - 0.5 / n);
  return { lo: quantile(pLo) * (1 - relativeSlack), hi: quantile(pHi) * (1 + relativeSlack) };
}

/**
 * The law of ln X when X is lognormal with weight 1 − atWeight and a point mass at `atMs` with weight
 * `atWeight` (REPORTs of timed-out invocations all carry Duration = the timeout): its mean, variance,
 * and third and fourth central moments.
 */
export function logMixtureMoments(law: Lognormal, atWeight = 0, atMs = 1): { mean: number; variance: number; mu3: number; mu4: number } {
  const { mu, sigma } = lognormalParams(law);
  const w = 1 - atWeight;
  const point = Math.log(atMs);
  const mean = w * mu + atWeight * point;
  const d = mu - mean;
  const e = point - mean;
  const s2 = sigma * sigma;
  return {
    mean,
    variance: w * (d * d + s2) + atWeight * e * e,
    mu3: w * (d ** 3 + 3 * d * s2) + atWeight * e ** 3,
    mu4: w * (d ** 4 + 6 * d * d * s2 + 3 * s2 * s2) + atWeight * e ** 4,
  };
}

/**
 * Bounds on the median and p99 of a lognormal fitted by its log moments (μ̂ the mean of ln x, σ̂ their
 * standard deviation) to n draws of the law above. The fit converges to exp(m) and exp(m + z₉₉ s) with
 * m, s² the mean and variance of ln X; by the delta method μ̂ has variance s²/n, σ̂ has (μ₄ − s⁴)/(4 s² n),
 * and their covariance is μ₃/(2 s n).
 */
export function lognormalFitBounds(law: Lognormal, n: number, z: number, atWeight = 0, atMs = 1): { medianMs: Bounds; p99Ms: Bounds } {
  const { mean, variance, mu3, mu4 } = logMixtureMoments(law, atWeight, atMs);
  const s = Math.sqrt(variance);
  const varMu = variance / n;
  const varSigma = (mu4 - variance * variance) / (4 * variance * n);
  const cov = mu3 / (2 * s * n);
  const seMedian = Math.sqrt(varMu);
  const seP99 = Math.sqrt(varMu + Z99 * Z99 * varSigma + 2 * Z99 * cov);
  return {
    medianMs: { lo: Math.exp(mean - z * seMedian), hi: Math.exp(mean + z * seMedian) },
    p99Ms: { lo: Math.exp(mean + Z99 * s - z * seP99), hi: Math.exp(mean + Z99 * s + z * seP99) },
  };
}

/** The quantile function of the lognormal with weight 1 − atWeight and a point mass above its bulk at `atMs`. */
export function mixtureQuantile(law: Lognormal, atWeight = 0, atMs = Number.POSITIVE_INFINITY): (p: number) => number {
  return (p) => (p < 1 - atWeight ? lognormalQuantile(law, p / (1 - atWeight)) : atMs);
}

/** Bounds on an observed proportion of n trials with probability p (normal approximation to the binomial, plus one count of slack). */
export function proportionBounds(p: number, n: number, z: number): Bounds {
  const half = z * Math.sqrt((p * (1 - p)) / n) + 1 / n;
  return { lo: Math.max(0, p - half), hi: Math.min(1, p + half) };
}

/**
 * Bounds on a rate estimated as count / seconds when the count is Poisson with mean rate × seconds
 * (normal approximation, plus one count of slack).
 */
export function poissonRateBounds(ratePerSecond: number, seconds: number, z: number): Bounds {
  const mean = ratePerSecond * seconds;
  const half = z * Math.sqrt(mean) + 1;
  return { lo: Math.max(0, (mean - half) / seconds), hi: (mean + half) / seconds };
}
