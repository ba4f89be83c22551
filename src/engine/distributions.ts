import type { Uniform } from "./rng.js";

/** A probability distribution of non-negative values (seconds, for times). */
export type Distribution =
  | { kind: "constant"; value: number }
  | { kind: "exponential"; mean: number }
  | { kind: "lognormal"; mu: number; sigma: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "empirical"; values: readonly number[] };

/** z-score of the 99th percentile of the standard normal. */
const Z99 = 2.3263478740408408;

export function lognormalFromMedianP99(median: number, p99: number): Distribution {
  return { kind: "lognormal", mu: Math.log(median), sigma: Math.log(p99 / median) / Z99 };
}

export function lognormalFromMeanSd(mean: number, sd: number): Distribution {
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { kind: "lognormal", mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "exponential":
      return d.mean;
    case "lognormal":
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case "uniform":
      return (d.min + d.max) / 2;
    case "empirical":
      return d.values.reduce((sum, v) => sum + v, 0) / d.values.length;
  }
}

/** Returns a function drawing from `d` using `uniform`; the draws depend only on that stream. */
export function sampler(d: Distribution, uniform: Uniform): () => number {
  switch (d.kind) {
    case "constant": {
      const value = d.value;
      return () => value;
    }
    case "exponential": {
      const mean = d.mean;
      // 1 - u lies in (0, 1], so the logarithm is finite.
      return () => -mean * Math.log(1 - uniform());
    }
    case "lognormal": {
      const normal = standardNormal(uniform);
      const { mu, sigma } = d;
      return () => Math.exp(mu + sigma * normal());
    }
    case "uniform": {
      const { min } = d;
      const width = d.max - d.min;
      return () => min + width * uniform();
    }
    case "empirical": {
      const values = Float64Array.from(d.values);
      const n = values.length;
      return () => values[Math.floor(uniform() * n)];
    }
  }
}

/** Box-Muller, keeping the second variate of each pair so no draw is wasted. */
function standardNormal(uniform: Uniform): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };
}
