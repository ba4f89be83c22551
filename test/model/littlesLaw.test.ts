/*
 * Little's law and the M/G/∞ system (docs/queueing-results.md#littles-law), plus the CPU-share scaling of
 * handler time (docs/lambda-behaviour.md#cpu-share: CPU share = min(memory / 1769, 6) vCPU).
 *
 * 1. Sample-path Little's law. With unlimited concurrency and no client retries, every accepted
 *    request occupies its environment for exactly init (if cold) + handler time, and the run
 *    continues until the last one finishes. The time integral of busy environments therefore
 *    equals the sum of occupancies *exactly*, for any arrival process, keep-alive or cold-start
 *    mix: ConcurrentExecutions.mean × simulated seconds = Σ handler + Σ init = Σ latency.
 *    Tolerance: relative 1e-9 (floating-point summation of ~1e5 terms of similar magnitude).
 * 2. Statistical Little's law: time-average busy = λ × E[occupancy]. Without init this is the
 *    M/G/∞ mean λE[S]. The time-average of the M/G/∞ occupancy over a run of length D has
 *    variance λ·E[S²]/D (its autocovariance λ∫_t^∞ P(S>u)du integrates to λE[S²]/2), so
 *    SE = √(λE[S²]/D) and the check allows 4 SE. The empty start and the drain after the last
 *    arrival each move the mean by λE[S²]/(2D) ≤ 0.1 SE here, ignored.
 * 3. CPU scaling: a handler measured at durationAtMemoryMb runs, at memoryMb, scaled by
 *    (1 − f) + f·share(ref)/share(mem) where f = cpuBoundFraction.
 */
import { describe, expect, it } from "vitest";
import { cpuShare } from "../../src/model/cpuModel.js";
import { note, runScenario } from "./fidelityHelpers.js";

const Z = 4;
const UNLIMITED = { concurrencyLimit: 100_000, scaling: "unlimited", requestRateLimit: "infinite" };

describe("Little's law", () => {
  it("holds on the sample path with frequent cold starts (init + handler occupancy)", () => {
    const { result, summary } = runScenario({
      seed: 21,
      duration: "1h",
      account: UNLIMITED,
      // A 2 s keep-alive against 20 req/s of 0.5 s requests: environments die and are recreated often.
      platform: { keepAlive: "2s", maxLifetime: "infinite" },
      functions: [
        { name: "f", timeout: "900s", init: { lognormal: { mean: "300ms", sd: "100ms" } }, duration: { exponential: { mean: "500ms" } } },
      ],
      workload: [{ function: "f", arrivals: { poisson: { rate: 20 } } }],
    });
    const f = summary.functions.f;
    const m = result.functions[0].metrics;
    expect(f.metrics.Throttles).toBe(0);
    expect(f.coldStarts / f.metrics.Invocations).toBeGreaterThan(0.01);
    const busyArea = m.busyArea;
    const occupancy = (m.duration.sum + m.initDuration.sum) / 1000;
    expect(Math.abs(busyArea - occupancy) / occupancy).toBeLessThan(1e-9);
    // ...and the same through the latency each caller saw (no retries: latency = occupancy).
    expect(Math.abs(busyArea - m.latency.sum / 1000) / occupancy).toBeLessThan(1e-9);
    // The summary's time-average is that area over the simulated time.
    expect(f.metrics.ConcurrentExecutions.mean).toBeCloseTo(busyArea / result.simulatedSeconds, 5);

    // Statistically: L = λ_accepted × (E[S] + P(cold)·E[init]) with the distributions' true means.
    // Since busy area = ΣS_i + ΣI_j exactly, L − that = (ΣS_i − n·E[S] + ΣI_j − c·E[I]) / D, whose
    // SE is √(n·Var(S) + c·Var(I)) / D with Var(S) = 0.25 s², Var(I) = 0.01 s².
    const n = f.metrics.Invocations;
    const cold = f.coldStarts;
    const expected = (n * 0.5 + cold * 0.3) / result.simulatedSeconds;
    const se = Math.sqrt(n * 0.25 + cold * 0.01) / result.simulatedSeconds;
    note("little cold-start L", f.metrics.ConcurrentExecutions.mean, expected, Z * se);
    expect(Math.abs(f.metrics.ConcurrentExecutions.mean - expected)).toBeLessThan(Z * se);
  });

  it("M/G/∞: mean busy = λE[S] (lognormal handler, no init)", () => {
    const lambda = 50;
    const span = 3600;
    const { summary } = runScenario({
      seed: 22,
      duration: span,
      account: UNLIMITED,
      platform: { keepAlive: "infinite", maxLifetime: "infinite" },
      functions: [{ name: "f", timeout: "900s", init: 0, duration: { lognormal: { mean: "200ms", sd: "300ms" } } }],
      workload: [{ function: "f", arrivals: { poisson: { rate: lambda } } }],
    });
    const f = summary.functions.f;
    const mean = lambda * 0.2; // 10
    const se = Math.sqrt((lambda * (0.2 ** 2 + 0.3 ** 2)) / span); // 0.042
    note("little M/G/inf mean busy", f.metrics.ConcurrentExecutions.mean, mean, Z * se);
    expect(Math.abs(f.metrics.ConcurrentExecutions.mean - mean)).toBeLessThan(Z * se);
    expect(f.metrics.Throttles).toBe(0);
  });
});

describe("CPU share scaling of handler time", () => {
  it("cpuShare is memory / 1769 MB, capped at 6 vCPU", () => {
    expect(cpuShare(1769)).toBe(1);
    expect(cpuShare(128)).toBeCloseTo(128 / 1769, 15);
    expect(cpuShare(10240)).toBeCloseTo(10240 / 1769, 15); // 5.79: the cap is not reached within Lambda's range
    expect(cpuShare(20000)).toBe(6);
  });

  const usable = (mem: number, threads: number) => Math.min(mem / 1769, 6, threads);
  const scale = (f: number, ref: number, mem: number, threads = 1) => 1 - f + (f * usable(ref, threads)) / usable(mem, threads);

  it("a constant handler is scaled exactly: (1 − f) + f·min(share(ref), threads)/min(share(mem), threads)", () => {
    const cases = [
      { memoryMb: 512, durationAtMemoryMb: 1769, cpuBoundFraction: 0.6, seconds: 0.1, cpuThreads: 1 }, // 0.2473 s
      { memoryMb: 10240, durationAtMemoryMb: 128, cpuBoundFraction: 1, seconds: 1, cpuThreads: 6 }, // 12.5 ms
      { memoryMb: 10240, durationAtMemoryMb: 128, cpuBoundFraction: 1, seconds: 1, cpuThreads: 1 }, // 72.4 ms: one thread uses one vCPU
      { memoryMb: 3008, durationAtMemoryMb: 1024, cpuBoundFraction: 0, seconds: 0.25, cpuThreads: 1 }, // unchanged
      { memoryMb: 256, durationAtMemoryMb: 256, cpuBoundFraction: 0.9, seconds: 0.4, cpuThreads: 1 }, // unchanged
    ];
    for (const c of cases) {
      const { summary } = runScenario({
        seed: 1,
        duration: 60,
        account: UNLIMITED,
        functions: [
          {
            name: "f",
            timeout: "900s",
            init: 0,
            memoryMb: c.memoryMb,
            durationAtMemoryMb: c.durationAtMemoryMb,
            cpuBoundFraction: c.cpuBoundFraction,
            cpuThreads: c.cpuThreads,
            duration: { constant: c.seconds },
          },
        ],
        workload: [{ function: "f", arrivals: { constant: { interval: 5 } } }],
      });
      const expectedMs = c.seconds * scale(c.cpuBoundFraction, c.durationAtMemoryMb, c.memoryMb, c.cpuThreads) * 1000;
      const d = summary.functions.f.durationMs;
      expect(d.mean).toBeCloseTo(expectedMs, 3);
      expect(d.max).toBeCloseTo(expectedMs, 3);
    }
  });

  it("Little's law with scaled durations: mean busy = λ × scaled E[S]", () => {
    const lambda = 20;
    const span = 3600;
    const k = scale(0.6, 1769, 512); // 2.47305
    const meanS = 0.1 * k;
    const { summary } = runScenario({
      seed: 23,
      duration: span,
      account: UNLIMITED,
      platform: { keepAlive: "infinite", maxLifetime: "infinite" },
      functions: [
        {
          name: "f",
          timeout: "900s",
          init: 0,
          memoryMb: 512,
          durationAtMemoryMb: 1769,
          cpuBoundFraction: 0.6,
          duration: { exponential: { mean: "100ms" } },
        },
      ],
      workload: [{ function: "f", arrivals: { poisson: { rate: lambda } } }],
    });
    const f = summary.functions.f;
    const n = f.metrics.Invocations;
    // Mean handler time: exponential, SD = mean, so SE = mean/√n.
    const seDuration = (meanS * 1000) / Math.sqrt(n);
    note("little scaled mean duration (ms)", f.durationMs.mean, meanS * 1000, Z * seDuration);
    expect(Math.abs(f.durationMs.mean - meanS * 1000)).toBeLessThan(Z * seDuration);
    // Scaling by the wrong factor (e.g. memory ratio without the CPU-bound fraction: 3.455) would be far off.
    expect(Math.abs(100 * (1769 / 512) - meanS * 1000)).toBeGreaterThan(10 * Z * seDuration);
    const se = Math.sqrt((lambda * 2 * meanS ** 2) / span); // E[S²] = 2·mean² for the exponential
    note("little scaled mean busy", f.metrics.ConcurrentExecutions.mean, lambda * meanS, Z * se);
    expect(Math.abs(f.metrics.ConcurrentExecutions.mean - lambda * meanS)).toBeLessThan(Z * se);
  });
});
