import { describe, expect, it } from "vitest";
import { RngStreams } from "../../src/engine/rng.js";
import { LatencyHistogram } from "../../src/metrics/histogram.js";
import { type Observed, checkCalibration, tolerances } from "../../src/tooling/calibrate/check.js";
import { empiricalTable, fitSample, LogMoments } from "../../src/tooling/calibrate/fit.js";

const N = 20_000;

function sample(draw: (u: () => number) => number, seed: number) {
  const u = new RngStreams(seed).stream("fit-test");
  const h = new LatencyHistogram();
  const logs = new LogMoments();
  for (let i = 0; i < N; i++) {
    const x = draw(u);
    h.record(x);
    logs.add(x);
  }
  return { h, logs };
}

/** A standard normal by Box–Muller. */
const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

describe("calibrate fits recover known laws within 3 standard errors", () => {
  it("lognormal: mu and sigma, and lognormal is the best family", () => {
    const mu = Math.log(80);
    const sigma = 0.5;
    const { h, logs } = sample((u) => Math.exp(mu + sigma * normal(u)), 1);
    const fit = fitSample(h, logs);
    expect(fit.fits).not.toBeNull();
    const ln = fit.fits!.lognormal;
    expect(Math.abs(ln.mu - mu)).toBeLessThan((3 * sigma) / Math.sqrt(N));
    expect(Math.abs(ln.sigma - sigma)).toBeLessThan((3 * sigma) / Math.sqrt(2 * N));
    expect(fit.best).toBe("lognormal");
    expect(ln.ks).toBeLessThan(fit.ksCritical);
    expect(fit.fits!.gamma.ks).toBeGreaterThan(fit.ksCritical);
  });

  it("gamma (shape 3, the sum of three exponentials): shape and scale, and gamma is the best family", () => {
    const scale = 20;
    const { h, logs } = sample((u) => -scale * (Math.log(1 - u()) + Math.log(1 - u()) + Math.log(1 - u())), 2);
    const fit = fitSample(h, logs);
    // Var(k̂) ≈ k / (n (k ψ'(k) − 1)); ψ'(3) = π²/6 − 1 − 1/4.
    const k = 3;
    const se = Math.sqrt(k / (N * (k * (Math.PI ** 2 / 6 - 1.25) - 1)));
    expect(Math.abs(fit.fits!.gamma.shape - k)).toBeLessThan(3 * se);
    expect(Math.abs(fit.fits!.gamma.shape * fit.fits!.gamma.scaleMs - k * scale)).toBeLessThan((3 * Math.sqrt(k) * scale) / Math.sqrt(N));
    expect(fit.best).toBe("gamma");
  });

  it("Weibull (shape 1.5): shape and scale, and Weibull is the best family", () => {
    const k = 1.5;
    const lambda = 100;
    const { h, logs } = sample((u) => lambda * (-Math.log(1 - u())) ** (1 / k), 3);
    const fit = fitSample(h, logs);
    // Asymptotic standard errors of the Weibull MLE: 0.780 k / √n and 1.052 λ / (k √n); the sketch's buckets add 0.4 % at most.
    expect(Math.abs(fit.fits!.weibull.shape - k)).toBeLessThan((3 * 0.78 * k) / Math.sqrt(N) + 0.004 * k);
    expect(Math.abs(fit.fits!.weibull.scaleMs - lambda)).toBeLessThan((3 * 1.052 * lambda) / (k * Math.sqrt(N)) + 0.004 * lambda);
    expect(fit.best).toBe("weibull");
  });

  it("the empirical table has at most 1,000 increasing points at the sample's quantiles", () => {
    const { h } = sample((u) => 10 + 90 * u(), 4);
    const table = empiricalTable(h);
    expect(table.length).toBe(1000);
    for (let i = 1; i < table.length; i++) expect(table[i]).toBeGreaterThanOrEqual(table[i - 1]);
    // Uniform(10, 100): the point at p = 0.5005 is 55.05, within the sampling error of the median (3 x 90 x 0.5 / sqrt(n)).
    expect(Math.abs(table[500] - 55.045)).toBeLessThan((3 * 90 * 0.5) / Math.sqrt(N));
  });

  it("does not fit a sample too small or without spread", () => {
    const h = new LatencyHistogram();
    const logs = new LogMoments();
    for (let i = 0; i < 100; i++) {
      h.record(42);
      logs.add(42);
    }
    expect(fitSample(h, logs).fits).toBeNull();
  });
});

describe("calibrate --check verdicts (pure)", () => {
  const observed: Observed = {
    invocations: 10_000,
    coldStarts: 100,
    environments: 100,
    peakConcurrency: 25,
    meanConcurrency: 5,
    billedGbSeconds: 1000,
    cost: 0.0187,
    p50DurationMs: 80,
    p99DurationMs: 300,
    durationCv: 0.5,
    billedCv: 0.5,
    durationQuantile: (p) => 80 * Math.exp(0.5 * Math.sqrt(2) * inverseErf(2 * p - 1)),
  };
  const same = {
    invocations: 10_000,
    coldStarts: 100,
    environments: 100,
    peakConcurrency: 25,
    meanConcurrency: 5,
    billedGbSeconds: 1000,
    cost: 0.0187,
    p50DurationMs: 80,
    p99DurationMs: 300,
  };

  it("derives tolerances from the sample sizes", () => {
    const t = tolerances(observed);
    expect(t.invocations).toBe(0.001);
    expect(t.coldStarts).toBeCloseTo(0.1 + 3 / 10, 12);
    expect(t.meanConcurrency).toBeCloseTo(0.02 + (3 * Math.SQRT2 * 0.5) / 100, 12);
    expect(t.p50DurationMs).toBeGreaterThan(0.02);
    expect(t.p50DurationMs).toBeLessThan(0.1);
  });

  it("passes identical figures and fails one beyond its tolerance, naming it", () => {
    expect(checkCalibration({ api: observed }, { api: same }).passed).toBe(true);
    const off = checkCalibration({ api: observed }, { api: { ...same, coldStarts: 160 } });
    expect(off.passed).toBe(false);
    expect(off.functions.api.filter((r) => r.verdict === "fail").map((r) => r.figure)).toEqual(["coldStarts"]);
    expect(off.functions.api.find((r) => r.figure === "coldStarts")?.error).toBeCloseTo(0.6, 12);
  });

  it("fails a function the simulation does not have", () => {
    expect(checkCalibration({ api: observed }, {}).passed).toBe(false);
  });
});

/** erf⁻¹ by Newton on erf from the normal CDF of the quantile test (only for the test's quantile function). */
function inverseErf(y: number): number {
  let x = 0;
  for (let i = 0; i < 60; i++) {
    const err = erfApprox(x) - y;
    x -= err / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
    x = Math.max(-6, Math.min(6, x));
  }
  return x;
}

function erfApprox(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}
