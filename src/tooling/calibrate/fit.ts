import type { LatencyHistogram } from "../../metrics/histogram.js";

/*
 * Fits of a positive sample held in a LatencyHistogram (exact up to 2,048 values, then log-linear
 * buckets whose midpoints are within 0.4 % of every member): maximum-likelihood lognormal, gamma
 * and Weibull, each with its Kolmogorov–Smirnov distance to the sample, and the quantile table
 * that becomes the scenario's `empirical` distribution. The sums of logarithms come from the
 * values themselves, so the lognormal and gamma fits do not see the buckets at all.
 */

/** Sums a sample's logarithms as it streams past, for the maximum-likelihood fits. */
export class LogMoments {
  n = 0;
  sum = 0;
  sumSq = 0;

  add(value: number): void {
    // A 0 ms value (rounding in the log line) would have no logarithm; a microsecond stands for it.
    const l = Math.log(Math.max(value, 1e-3));
    this.n++;
    this.sum += l;
    this.sumSq += l * l;
  }
}

export interface Fits {
  lognormal: { medianMs: number; p99Ms: number; mu: number; sigma: number; ks: number };
  gamma: { shape: number; scaleMs: number; ks: number };
  weibull: { shape: number; scaleMs: number; ks: number };
}

export type Family = keyof Fits;

export interface SampleFit {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  empiricalPoints: number;
  /** Null when the sample is too small or has no spread to fit. */
  fits: Fits | null;
  best: Family | null;
  /** Kolmogorov–Smirnov 5 % critical value for this sample size (1.358 / √n). */
  ksCritical: number;
}

/** Fewest values the fits are made from: below it the KS distance says little about the family. */
export const MIN_FIT_SAMPLES = 30;

const Z99 = 2.326347874040841;

/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, far under any KS distance reported). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised lower incomplete gamma function P(a, x): a series below a + 1, a continued fraction above. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * front);
  }
  // Lentz's method for the continued fraction of Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - front * h);
}

/** ψ(x) and ψ'(x): recurrence up to 6, then the asymptotic series (error below 1e-10 there). */
function digamma(x: number): number {
  let r = 0;
  let y = x;
  for (; y < 6; y += 1) r -= 1 / y;
  return r + Math.log(y) - 1 / (2 * y) - 1 / (12 * y * y) + 1 / (120 * y ** 4) - 1 / (252 * y ** 6);
}

function trigamma(x: number): number {
  let r = 0;
  let y = x;
  for (; y < 6; y += 1) r += 1 / (y * y);
  return r + 1 / y + 1 / (2 * y * y) + 1 / (6 * y ** 3) - 1 / (30 * y ** 5);
}

/** Kolmogorov–Smirnov distance between the sample and a CDF, checked on both sides of every distinct value. */
function ksDistance(h: LatencyHistogram, cdf: (x: number) => number): number {
  const n = h.count;
  let below = 0;
  let d = 0;
  h.forEachValue((value, count) => {
    const f = cdf(value);
    const after = below + count;
    d = Math.max(d, Math.abs(f - below / n), Math.abs(f - after / n));
    below = after;
  });
  return d;
}

/** Weibull maximum likelihood: the shape solves Σx^k ln x / Σx^k − 1/k = mean ln x (monotone in k: bisection). */
function weibullFit(h: LatencyHistogram, median: number): { shape: number; scaleMs: number } {
  // Values scaled by the median keep x^k finite for any shape tried.
  const values: number[] = [];
  const weights: number[] = [];
  h.forEachValue((value, count) => {
    values.push(Math.max(value, 1e-3) / median);
    weights.push(count);
  });
  const n = h.count;
  let meanLog = 0;
  for (let i = 0; i < values.length; i++) meanLog += (weights[i] * Math.log(values[i])) / n;
  const g = (k: number): number => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < values.length; i++) {
      const xk = weights[i] * values[i] ** k;
      a += xk * Math.log(values[i]);
      b += xk;
    }
    return a / b - 1 / k - meanLog;
  };
  let lo = 0.02;
  let hi = 200;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = Math.sqrt(lo * hi);
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  const shape = (lo + hi) / 2;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += weights[i] * values[i] ** shape;
  return { shape, scaleMs: median * (sum / n) ** (1 / shape) };
}

/** The fitted families with their KS distances; null when there is too little to fit or no spread. */
function fitFamilies(h: LatencyHistogram, logs: LogMoments): Fits | null {
  const n = logs.n;
  if (n < MIN_FIT_SAMPLES) return null;
  const mu = logs.sum / n;
  const sigma = Math.sqrt(Math.max(0, logs.sumSq / n - mu * mu));
  const mean = h.mean;
  const s = Math.log(mean) - mu;
  if (!(sigma > 1e-9) || !(s > 1e-12)) return null;
  // Minka's closed-form start for the gamma shape is within 1.5 % of the MLE; Newton steps close the rest.
  let shape = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 5; i++) {
    const f = Math.log(shape) - digamma(shape) - s;
    const df = 1 / shape - trigamma(shape);
    shape -= f / df;
  }
  const scale = mean / shape;
  const median = Math.exp(mu);
  const weibull = weibullFit(h, h.quantile(0.5));
  return {
    lognormal: {
      medianMs: median,
      p99Ms: Math.exp(mu + Z99 * sigma),
      mu,
      sigma,
      ks: ksDistance(h, (x) => normalCdf((Math.log(x) - mu) / sigma)),
    },
    gamma: { shape, scaleMs: scale, ks: ksDistance(h, (x) => gammaP(shape, x / scale)) },
    weibull: { ...weibull, ks: ksDistance(h, (x) => 1 - Math.exp(-((x / weibull.scaleMs) ** weibull.shape))) },
  };
}

/** Most points in the scenario's `empirical` table: enough for p99.9 to be a point of its own, small enough for a readable file. */
export const EMPIRICAL_POINTS = 1000;

/** The quantile table at the midpoints of m equal-probability slices, m = min(n, 1000). */
export function empiricalTable(h: LatencyHistogram): number[] {
  const m = Math.min(h.count, EMPIRICAL_POINTS);
  return Array.from({ length: m }, (_, i) => h.quantile((i + 0.5) / m));
}

export function fitSample(h: LatencyHistogram, logs: LogMoments): SampleFit {
  const fits = fitFamilies(h, logs);
  let best: Family | null = null;
  if (fits !== null) {
    for (const family of Object.keys(fits) as Family[]) if (best === null || fits[family].ks < fits[best].ks) best = family;
  }
  return {
    count: h.count,
    meanMs: h.mean,
    p50Ms: h.quantile(0.5),
    p90Ms: h.quantile(0.9),
    p99Ms: h.quantile(0.99),
    maxMs: h.max,
    empiricalPoints: Math.min(h.count, EMPIRICAL_POINTS),
    fits,
    best,
    ksCritical: h.count > 0 ? 1.358 / Math.sqrt(h.count) : 1,
  };
}

/** The CDF of a fitted family, for drawing it against the sample. */
export function fittedCdf(fits: Fits, family: Family): (x: number) => number {
  if (family === "lognormal") return (x) => normalCdf((Math.log(x) - fits.lognormal.mu) / fits.lognormal.sigma);
  if (family === "gamma") return (x) => gammaP(fits.gamma.shape, x / fits.gamma.scaleMs);
  return (x) => 1 - Math.exp(-((x / fits.weibull.scaleMs) ** fits.weibull.shape));
}
