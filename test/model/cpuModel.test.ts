/*
 * Handler time against memory: cpuThreads caps the vCPUs a handler can use (AWS: 1,769 MB is one
 * vCPU, docs/lambda-behaviour.md), and durationByMemory's measurements take precedence over the
 * CPU model, which only bridges the sizes between and beyond them (docs/lambda-behaviour.md,
 * "Handler time and memory"). Constant handlers make every expectation exact.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/inputError.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { runScenario } from "./fidelityHelpers.js";

/** The summary rounds milliseconds to 3 decimals. */
const near = (actual: number, expected: number, scale = 1) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.0005 * scale + 1e-9);

const UNLIMITED = { concurrencyLimit: 100_000, scaling: "unlimited", requestRateLimit: "infinite" };

/** Handler times (ms) of one function invoked every 5 s for a minute: mean, and the whole sample's p50, p99 and max. */
function handlerMs(fn: Record<string, unknown>, seed = 1) {
  const { summary } = runScenario({
    seed,
    duration: 60,
    account: UNLIMITED,
    functions: [{ name: "f", timeout: "900s", init: 0, ...fn }],
    workload: [{ function: "f", arrivals: { constant: { interval: 5 } } }],
  });
  return summary.functions.f.durationMs;
}

describe("cpuThreads", () => {
  it("1 vs 2 threads at 3,538 MB (2 vCPUs): a single thread gains nothing past 1,769 MB, two threads halve the CPU part", () => {
    const base = { memoryMb: 3538, durationAtMemoryMb: 1769, cpuBoundFraction: 1, duration: { constant: "1s" } };
    const one = handlerMs({ ...base, cpuThreads: 1 });
    const two = handlerMs({ ...base, cpuThreads: 2 });
    expect(one.mean).toBe(1000);
    expect(one.max).toBe(1000);
    // 1 s × min(1769/1769, 2) / min(3538/1769, 2) = 1 s × 1/2
    expect(two.mean).toBe(500);
    expect(two.max).toBe(500);
  });

  it("below one vCPU the thread count does not matter: the share is the limit", () => {
    const base = { memoryMb: 512, durationAtMemoryMb: 1024, cpuBoundFraction: 0.5, duration: { constant: "100ms" } };
    const expected = 100 * (0.5 + (0.5 * 1024) / 512); // 150 ms
    near(handlerMs({ ...base, cpuThreads: 1 }).mean, expected);
    near(handlerMs({ ...base, cpuThreads: 6 }).mean, expected);
  });
});

describe("durationByMemory", () => {
  const measured = {
    512: { constant: "400ms" },
    1024: { lognormal: { median: "120ms", p99: "600ms" } },
    2048: { constant: "100ms" },
  };

  it("at a measured size uses that measurement exactly: the same draws as duration written at that size", () => {
    const byMemory = handlerMs({ memoryMb: 1024, cpuBoundFraction: 0.7, durationByMemory: measured }, 7);
    const direct = handlerMs({ memoryMb: 1024, cpuBoundFraction: 0.7, duration: measured[1024] }, 7);
    expect(byMemory).toEqual(direct);
    expect(byMemory.max).toBeGreaterThan(byMemory.p50); // a distribution, not a constant
    expect(handlerMs({ memoryMb: 512, cpuBoundFraction: 0.7, durationByMemory: measured }).max).toBe(400);
    expect(handlerMs({ memoryMb: 2048, cpuBoundFraction: 0.7, durationByMemory: measured }).max).toBe(100);
  });

  it("between two measured sizes follows t = a + b / usable vCPUs through the two measured means", () => {
    const fn = { cpuBoundFraction: 0, durationByMemory: { 512: { constant: "400ms" }, 2048: { constant: "100ms" } } };
    // x(m) = 1 / min(m / 1769, 1): x(512) = 3.455, x(2048) = 1 (one thread), x(768) = 2.303
    const w = (1769 / 768 - 1769 / 512) / (1 - 1769 / 512); // 0.4695
    near(handlerMs({ ...fn, memoryMb: 768 }).mean, 400 + w * (100 - 400)); // 259.1 ms
    // A single thread is as fast at 1,769 MB as at 2,048 MB: the law reaches the upper measurement there.
    near(handlerMs({ ...fn, memoryMb: 1769 }).mean, 100);
    // Two threads: x(2048) = 1769 / 2048, so 1,769 MB lies strictly between.
    const w2 = (1 - 1769 / 512) / (1769 / 2048 - 1769 / 512);
    near(handlerMs({ ...fn, memoryMb: 1769, cpuThreads: 2 }).mean, 400 + w2 * (100 - 400)); // 112.5 ms
  });

  it("keeps the lower neighbour's shape, scaled to the interpolated mean", () => {
    const lower = { lognormal: { median: "200ms", p99: "800ms" } };
    const fn = { memoryMb: 1024, durationByMemory: { 512: lower, 2048: { constant: "100ms" } } };
    const interpolated = handlerMs(fn, 3);
    const atLower = handlerMs({ memoryMb: 1024, duration: lower }, 3);
    const lowerMean = 200 * Math.exp((Math.log(800 / 200) / 2.3263478740408408) ** 2 / 2); // 256.6 ms
    const w = (1769 / 1024 - 1769 / 512) / (1 - 1769 / 512);
    const factor = 1 + w * (100 / lowerMean - 1); // 0.585
    near(interpolated.mean, atLower.mean * factor, 1 + factor);
    near(interpolated.max, atLower.max * factor, 1 + factor);
    near(interpolated.p99, atLower.p99 * factor, 1 + factor);
  });

  it("outside the measured sizes scales the nearest measurement with the CPU model", () => {
    const fn = { cpuBoundFraction: 0.5, durationByMemory: { 512: { constant: "400ms" }, 2048: { constant: "100ms" } } };
    // 400 ms × (0.5 + 0.5 × (512/1769) / (128/1769)) = 400 ms × 2.5
    near(handlerMs({ ...fn, memoryMb: 128 }).mean, 1000);
    // Above: one thread gains nothing more; two threads gain on the CPU-bound half.
    expect(handlerMs({ ...fn, memoryMb: 3008 }).mean).toBe(100);
    near(handlerMs({ ...fn, memoryMb: 3008, cpuThreads: 2 }).mean, 100 * (0.5 + (0.5 * 2048) / 3008));
  });

  const problems = (fn: Record<string, unknown>): string[] => {
    try {
      resolveScenario({
        duration: 60,
        functions: [{ name: "f", ...fn }],
        workload: [{ function: "f", arrivals: { constant: { interval: 5 } } }],
      });
    } catch (error) {
      if (error instanceof InputError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      throw error;
    }
    return [];
  };

  it("refuses bad memory sizes and ambiguous handler times, one line each naming the field", () => {
    expect(problems({ durationByMemory: { 64: "1s", abc: "1s", "0512": "1s", 10241: "1s" } })).toEqual([
      'functions[0].durationByMemory.64: memory size must be a whole number of MB from 128 to 10240, got "64"',
      'functions[0].durationByMemory.10241: memory size must be a whole number of MB from 128 to 10240, got "10241"',
      'functions[0].durationByMemory.abc: memory size must be a whole number of MB from 128 to 10240, got "abc"',
      'functions[0].durationByMemory.0512: memory size must be a whole number of MB from 128 to 10240, got "0512"',
    ]);
    expect(problems({ durationByMemory: {} })).toEqual(["functions[0].durationByMemory: needs at least one memory size, got {}"]);
    expect(problems({})[0]).toMatch(/^functions\[0\]\.duration: required \(expected a time, or one of .*\), or give durationByMemory$/);
    expect(problems({ duration: "1s", durationByMemory: { 512: "1s" } })).toEqual([
      "functions[0].durationByMemory: give duration or durationByMemory, not both",
    ]);
    expect(problems({ durationAtMemoryMb: 512, durationByMemory: { 512: "1s" } })).toEqual([
      "functions[0].durationAtMemoryMb: applies to duration only; durationByMemory names the size of each measurement",
    ]);
    expect(problems({ durationByMemory: { 512: { lognormal: { median: "1s" } } } })[0]).toMatch(
      /^functions\[0\]\.durationByMemory\.512\.lognormal/,
    );
    expect(problems({ duration: "1s", cpuThreads: 7 })).toEqual(["functions[0].cpuThreads: must be <= 6, got 7"]);
  });
});
