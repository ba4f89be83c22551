import { formatSeconds } from "./formatSeconds.js";

interface Interval {
  interval: number;
  start: number;
  /** Set when the expression is not a constant interval and is approximated by one. */
  approximation?: string;
}

const RATE_UNITS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

/**
 * An EventBridge schedule as a constant interval (seconds) from a start within the day, or why it
 * cannot be one. rate(5 minutes) is exact; cron(...) is exact when it fires evenly through every
 * day, and otherwise approximated by its mean interval.
 */
export function scheduleInterval(expression: string): Interval | string {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const size = RATE_UNITS[rate[2].toLowerCase()];
    const count = Number(rate[1]);
    if (!size || count < 1) return `${text}: expected rate(N minutes|hours|days) with N >= 1`;
    return { interval: count * size, start: 0 };
  }
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) return /^at\(/i.test(text) ? `${text} fires once` : `${text} is not a rate(...) or cron(...) expression`;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `${text}: expected six cron fields (minutes hours day-of-month month day-of-week year)`;
  const minutes = expandCronField(fields[0], 0, 59);
  const hours = expandCronField(fields[1], 0, 23);
  if (!minutes || !hours) return `${text}: cannot read its minutes and hours`;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  const gaps = times.map((t, i) => (i + 1 < times.length ? times[i + 1] : times[0] + 1440) - t);
  const everyDay = fields.slice(2).every((field) => field === "*" || field === "?");
  const even = gaps.every((gap) => gap === gaps[0]);
  const interval = even ? gaps[0] * 60 : Math.round((1440 / times.length) * 60);
  const notes = [
    ...(everyDay ? [] : ["fires on some days only; simulated as firing every day"]),
    ...(even ? [] : [`fires at uneven times; simulated as one every ${formatSeconds(interval)}`]),
  ];
  return { interval, start: times[0] * 60, ...(notes.length > 0 ? { approximation: notes.join("; ") } : {}) };
}

/** The values a cron minutes or hours field selects: *, n, a-b, a/n, * /n, a-b/n and lists of them. */
function expandCronField(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === "*" ? min : Number(match[2]);
    const to = match[1] === "*" || (match[4] !== undefined && match[3] === undefined) ? max : Number(match[3] ?? match[2]);
    const step = Number(match[4] ?? 1);
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}
