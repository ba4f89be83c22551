import { distributionMean, type Distribution } from "../engine/distributions.js";

/*
 * How a function's handler time depends on its memory size. Lambda allocates CPU in proportion to
 * memory: 1,769 MB is one vCPU, up to 6 vCPUs. A handler only uses as many vCPUs as it runs
 * threads, so the CPU-bound share of its time scales with 1 / min(vCPU share, threads), and the
 * rest does not change (docs/lambda-behaviour.md#handler-time-and-memory).
 */

/** One full vCPU. */
const MB_PER_VCPU = 1769;

/** The CPU share, in vCPUs, that Lambda allocates to a function of this memory size. */
export const cpuShare = (memoryMb: number): number => Math.min(memoryMb / MB_PER_VCPU, 6);

/** The vCPUs a handler running `threads` CPU-bound threads can keep busy at this memory size. */
export const usableVcpus = (memoryMb: number, threads: number): number => Math.min(cpuShare(memoryMb), threads);

/** The factor on a handler time measured at `fromMb` when the function runs at `toMb`. */
export function cpuScale(fromMb: number, toMb: number, cpuBoundFraction: number, threads: number): number {
  if (fromMb === toMb) return 1;
  return 1 - cpuBoundFraction + (cpuBoundFraction * usableVcpus(fromMb, threads)) / usableVcpus(toMb, threads);
}

/** `d` with every value multiplied by `factor` (> 0): the same shape, the mean times `factor`. */
export function scaleDistribution(d: Distribution, factor: number): Distribution {
  if (factor === 1) return d;
  switch (d.kind) {
    case "constant":
      return { kind: "constant", value: d.value * factor };
    case "exponential":
      return { kind: "exponential", mean: d.mean * factor };
    case "lognormal":
      return { kind: "lognormal", mu: d.mu + Math.log(factor), sigma: d.sigma };
    case "uniform":
      return { kind: "uniform", min: d.min * factor, max: d.max * factor };
    case "empirical":
      return { kind: "empirical", values: d.values.map((v) => v * factor) };
  }
}

/** A handler-time distribution measured at one memory size. */
export interface MeasuredDuration {
  memoryMb: number;
  duration: Distribution;
}

/**
 * The handler time at `memoryMb` from durations measured at several sizes (`measured` sorted by
 * memory, at least one), as a distribution and the memory size it stands for; the platform then
 * scales it from that size with the CPU model (cpuScale).
 *
 * - At a measured size: that measurement, exactly.
 * - Outside the measured sizes: the nearest measurement, scaled by the CPU model from its size.
 * - Between two measured sizes lo < memoryMb < hi: the CPU model's law of handler time,
 *   t(m) = a + b / usableVcpus(m), is fitted through the two measured means, and the lower
 *   neighbour's distribution is scaled to the mean that law gives at memoryMb (the upper one's when
 *   the lower one's mean is 0). With
 *   x(m) = 1 / usableVcpus(m) and w = (x(memoryMb) − x(lo)) / (x(hi) − x(lo)), the factor on lo's
 *   distribution is 1 + w × (mean(hi) / mean(lo) − 1). Where the CPU model sees no difference
 *   between lo and hi (both at or above `threads` vCPUs) but the measurements do, w is linear in
 *   memory instead.
 */
export function durationFromMeasurements(measured: readonly MeasuredDuration[], memoryMb: number, threads: number): MeasuredDuration {
  const above = measured.findIndex((m) => m.memoryMb >= memoryMb);
  if (above === -1) return measured[measured.length - 1];
  if (above === 0 || measured[above].memoryMb === memoryMb) return measured[above];
  const lo = measured[above - 1];
  const hi = measured[above];
  const x = (mb: number) => 1 / usableVcpus(mb, threads);
  const w =
    x(hi.memoryMb) === x(lo.memoryMb)
      ? (memoryMb - lo.memoryMb) / (hi.memoryMb - lo.memoryMb)
      : (x(memoryMb) - x(lo.memoryMb)) / (x(hi.memoryMb) - x(lo.memoryMb));
  const loMean = distributionMean(lo.duration);
  const hiMean = distributionMean(hi.duration);
  // A measured zero cannot be scaled: the upper neighbour's shape then carries the fitted mean.
  if (loMean === 0) return { memoryMb, duration: scaleDistribution(hi.duration, w) };
  return { memoryMb, duration: scaleDistribution(lo.duration, 1 + w * (hiMean / loMean - 1)) };
}
