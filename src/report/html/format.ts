/** How figures read in the HTML reports. */
import { formatNumber } from "../format.js";

export const count = (value: number) => formatNumber(value);
export const ms = (value: number) => formatNumber(value, 1);
export const usd = (value: number) => `$${formatNumber(value, value >= 100 ? 2 : 6)}`;
export const percent = (part: number, whole: number) => (whole > 0 ? `${formatNumber((100 * part) / whole, 2)} %` : "–");

export function seconds(value: number): string {
  if (value < 120) return `${formatNumber(value, 1)} s`;
  if (value < 7200) return `${formatNumber(value / 60, 1)} min`;
  if (value < 172_800) return `${formatNumber(value / 3600, 2)} h`;
  return `${formatNumber(value / 86_400, 2)} days`;
}

/** A unit for times and ages, picked from the largest value so the axis reads in small numbers. */
export function durationUnit(maxMs: number): { label: string; ms: number } {
  if (maxMs < 10_000) return { label: "ms", ms: 1 };
  if (maxMs < 600_000) return { label: "s", ms: 1000 };
  if (maxMs < 36_000_000) return { label: "min", ms: 60_000 };
  return { label: "h", ms: 3_600_000 };
}
