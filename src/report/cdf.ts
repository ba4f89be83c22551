import type { LatencyHistogram } from "../metrics/histogram.js";

/** One point of an empirical CDF: the share `p` of samples at or below `value`. */
export interface CdfPoint {
  value: number;
  p: number;
}

/**
 * The empirical CDF of a histogram, thinned for drawing on a log value axis: the function's own
 * [smallest positive, largest] range is cut into `maxPoints` equal log-width bins and only the
 * last (highest) point of each bin is kept, so a 2,048-sample or 6,400-bucket distribution becomes
 * at most `maxPoints` + 2 points while every step wider than a bin survives. The first point is
 * (smallest value, 0), so the curve starts from the axis; the last is (max, 1). Zeros, which have
 * no logarithm, share one bin of their own. Empty when nothing was recorded.
 */
export function cdfPoints(histogram: LatencyHistogram, maxPoints = 400): CdfPoint[] {
  const n = histogram.count;
  if (n === 0) return [];
  let smallestPositive = Infinity;
  histogram.forEachValue((value) => {
    if (value > 0 && value < smallestPositive) smallestPositive = value;
  });
  const logLo = Math.log10(smallestPositive);
  const logSpan = Math.log10(histogram.max) - logLo;
  const binOf = (value: number) =>
    value <= 0 ? -1 : logSpan > 0 ? Math.min(maxPoints - 1, Math.floor(((Math.log10(value) - logLo) / logSpan) * maxPoints)) : 0;

  const points: CdfPoint[] = [{ value: histogram.min, p: 0 }];
  let seen = 0;
  let pending: CdfPoint | null = null;
  let pendingBin = NaN;
  histogram.forEachValue((value, count) => {
    seen += count;
    const bin = binOf(value);
    if (pending !== null && bin !== pendingBin) points.push(pending);
    pending = { value, p: seen / n };
    pendingBin = bin;
  });
  points.push(pending!);
  return points;
}
