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
      const { mu, sigma } = d;
      // Box-Muller, keeping the second variate of each pair so no draw is wasted. Written out in
      // this one closure (no call to a normal sampler), and the spare kept in a typed array, not a
      // captured variable: a double passed between calls or stored in a closure's context is boxed
      // on the heap, and this runs once per invocation.
      const spare = new Float64Array(1);
      let hasSpare = false;
      return () => {
        let normal: number;
        if (hasSpare) {
          hasSpare = false;
          normal = spare[0];
        } else {
          const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
          const angle = 2 * Math.PI * uniform();
          spare[0] = radius * Math.sin(angle);
          hasSpare = true;
          normal = radius * Math.cos(angle);
        }
        return Math.exp(mu + sigma * normal);
      };
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
