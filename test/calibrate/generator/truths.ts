/** The truths the round-trip tests and the bench generate from. */
import type { Truth } from "./simulate.js";

/** 2026-12-01T00:00:00Z. */
const START_MS = Date.UTC(2026, 11, 1);

/**
 * One hour of traffic with quiet spells long enough to tell a 5-minute keep-alive from a 10-minute
 * one: busy 10-minute spans at 2–6 requests per second separated by 7-minute lulls at 0.01/s (one
 * request in ~100 s: environments idle 5–10 min die under a 5-minute keep-alive, survive a 10-minute one).
 */
export function roundTripTruth(overrides: Partial<Truth> = {}): Truth {
  return {
    functionName: "orders",
    seed: 20261201,
    startMs: START_MS,
    segments: [
      { seconds: 600, perSecond: 4 },
      { seconds: 420, perSecond: 0.01 },
      { seconds: 600, perSecond: 6 },
      { seconds: 420, perSecond: 0.01 },
      { seconds: 600, perSecond: 2 },
      { seconds: 420, perSecond: 0.01 },
      { seconds: 600, perSecond: 5 },
    ],
    memoryMb: 1024,
    duration: { medianMs: 120, p99Ms: 900 },
    init: { medianMs: 350, p99Ms: 1200 },
    keepAliveSeconds: 300,
    timeoutSeconds: 30,
    errorRate: 0.02,
    timeoutRate: 0.002,
    ...overrides,
  };
}

/** Steady traffic for the bench: `invocations` REPORT records at 200 requests per second. */
export function benchTruth(invocations: number): Truth {
  return {
    functionName: "bench",
    seed: 7,
    startMs: START_MS,
    segments: [{ seconds: 3600, perSecond: 200 }],
    invocations,
    memoryMb: 512,
    duration: { medianMs: 40, p99Ms: 400 },
    init: { medianMs: 250, p99Ms: 900 },
    keepAliveSeconds: 600,
    timeoutSeconds: 10,
    errorRate: 0.01,
    timeoutRate: 0.001,
  };
}
