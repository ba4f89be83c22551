/** The truths the round-trip tests and the bench generate from. */
import type { Truth } from "./simulate.js";

/** 2026-12-01T00:00:00Z. */
const START_MS = Date.UTC(2026, 11, 1);

/**
 * Two hours in twelve 10-minute cycles: 2 minutes busy at 5 requests per second, then an 8-minute lull
 * at one request per 100 s. Lulls of 8 minutes kill the busy spell's environments under a 5-minute
 * keep-alive and not under a 10-minute one; the lull's single requests, idle gaps of about 100 s
 * (exponential), give gaps both just under and just over the keep-alive, so the logs bound it from
 * both sides. The seed is one whose bracket is narrow enough for calibrate to estimate from (most are).
 */
export function roundTripTruth(overrides: Partial<Truth> = {}): Truth {
  const cycle = [
    { seconds: 120, perSecond: 5 },
    { seconds: 480, perSecond: 0.01 },
  ];
  return {
    functionName: "orders",
    seed: 2,
    startMs: START_MS,
    segments: Array.from({ length: 12 }, () => cycle).flat(),
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
