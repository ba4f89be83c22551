/** Seconds per unit of the time strings a scenario may use. */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** What a time string looks like; the published JSON Schema uses it too. */
export const TIME_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)\s*$/;

export const TIME_HELP = "a time such as 250ms, 30s, 10m, 2h, 1d, or a number of seconds";

/** Parses "250ms", "2h", "1.5s" or a number of seconds; undefined when it is not a time. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = TIME_PATTERN.exec(value);
  if (!match) return undefined;
  // Dividing by 1000 rather than multiplying by 0.001 keeps "100ms" exactly 0.1.
  const amount = Number(match[1]);
  const seconds = match[2] === "ms" ? amount / 1000 : amount * UNIT_SECONDS[match[2]];
  // A string of 400 digits reads as Infinity.
  return Number.isFinite(seconds) ? seconds : undefined;
}
