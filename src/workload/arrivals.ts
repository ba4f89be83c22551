import type { Uniform } from "../engine/rng.js";

/** Produces successive arrival times for one function; Infinity when exhausted. */
export type ArrivalClock = () => number;

export function poissonArrivals(rate: number, end: number, uniform: Uniform): ArrivalClock {
  // The clock lives in a typed array: a double assigned to a captured variable is boxed anew on
  // the heap at every arrival.
  const clock = new Float64Array(1);
  return () => {
    if (rate <= 0) return Infinity;
    const now = clock[0] + -Math.log(1 - uniform()) / rate;
    clock[0] = now;
    return now < end ? now : Infinity;
  };
}

export function constantArrivals(interval: number, start: number, end: number): ArrivalClock {
  let k = 0;
  // start + k * interval rather than a running sum, so the 10,000th arrival has no drift.
  return () => {
    const t = start + k++ * interval;
    return t < end ? t : Infinity;
  };
}

/**
 * A Poisson process whose rate is constant between steps. A gap that would cross a step boundary
 * is redrawn from the boundary at the new rate, which is exact because the exponential
 * distribution is memoryless.
 */
export function stepArrivals(steps: readonly { at: number; rate: number }[], end: number, uniform: Uniform): ArrivalClock {
  let now = steps[0].at;
  let step = 0;
  return () => {
    for (;;) {
      if (now >= end) return Infinity;
      const rate = steps[step].rate;
      const boundary = step + 1 < steps.length ? steps[step + 1].at : Infinity;
      const candidate = rate > 0 ? now - Math.log(1 - uniform()) / rate : Infinity;
      if (candidate < boundary) {
        now = candidate;
        return now < end ? now : Infinity;
      }
      if (boundary === Infinity) return Infinity;
      now = boundary;
      step++;
    }
  };
}

/**
 * A Poisson process with rate mean + (peak - mean) * cos(2 pi (t - peakAt) / period), drawn by
 * thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability
 * rate(t) / peak.
 */
export function diurnalArrivals(mean: number, peak: number, period: number, peakAt: number, end: number, uniform: Uniform): ArrivalClock {
  let now = 0;
  const amplitude = peak - mean;
  const omega = (2 * Math.PI) / period;
  return () => {
    if (peak <= 0) return Infinity;
    for (;;) {
      now += -Math.log(1 - uniform()) / peak;
      if (now >= end) return Infinity;
      const rate = mean + amplitude * Math.cos(omega * (now - peakAt));
      if (uniform() * peak < rate) return now;
    }
  };
}
