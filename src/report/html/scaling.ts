/** The run report's scaling sections: concurrency against its limits, cold starts and throttles, period by period. */
import type { Summary } from "../summary.js";
import { escapeXml, formatNumber } from "../format.js";
import { lineChart, PALETTE, type LimitLine, type Series } from "../svg.js";
import { several, type Drawn } from "./drawn.js";
import { count } from "./format.js";
import { figure, table } from "./page.js";
import {
  lineSeries,
  periodName,
  perFunctionSeries,
  provisionedSeries,
  reductionNote,
  timeAxis,
  type DrawnColumn,
  type Timeline,
} from "./timeline.js";

// Per-function concurrency charts use fixed colours: each chart shows one function.
const PEAK_COLOR = PALETTE[0];
const PROVISIONED_COLOR = PALETTE[2];
const FUNCTION_LIMIT_COLOR = PALETTE[3];
const ACCOUNT_LIMIT_COLOR = "#555555";

export function concurrency(s: Summary, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const notes = reductionNote(t, `the peak is the busiest ${periodName(t)}'s, the mean the bucket's average`);
  const per = periodName(t);
  const account = s.account;
  const charts: string[] = [];
  if (several(s)) {
    const series = t.account;
    charts.push(
      figure(
        "account-concurrency",
        lineChart({
          id: id(),
          title: "Account: concurrent executions against the account limit",
          notes: [`The peak line sums each function's busiest moment in the ${per}, so it can exceed what was running at once.`, ...notes],
          x: timeAxis(t),
          y: { label: "concurrent executions", integer: true },
          series: [
            lineSeries(`sum of the functions' peaks per ${per}`, PEAK_COLOR, t, series.ConcurrentExecutionsMax),
            lineSeries("mean", PEAK_COLOR, t, series.ConcurrentExecutionsMean, 1, true),
          ],
          limits: [{ label: "account concurrency limit", value: account.concurrencyLimit, color: ACCOUNT_LIMIT_COLOR }],
        }),
      ),
    );
  }
  for (const d of drawn) {
    const values = t.byFunction.get(d.name)!;
    const config = d.summary.config;
    const series: Series[] = [
      lineSeries(`peak per ${per} (ConcurrentExecutions max)`, PEAK_COLOR, t, values.ConcurrentExecutionsMax),
      lineSeries("mean", PEAK_COLOR, t, values.ConcurrentExecutionsMean, 1, true),
    ];
    if (config.provisionedConcurrency.length > 0) {
      const pc = provisionedSeries(config.provisionedConcurrency, t);
      series.push({
        label: "provisioned concurrency (configured)",
        color: PROVISIONED_COLOR,
        shape: "step",
        x: pc.x,
        y: pc.y,
        dashed: true,
      });
    }
    const limits: LimitLine[] = [];
    if (config.reservedConcurrency !== null) {
      limits.push({ label: "reserved concurrency", value: config.reservedConcurrency, color: FUNCTION_LIMIT_COLOR });
    } else if (account.unreservedCapacity < account.concurrencyLimit) {
      limits.push({ label: "unreserved pool (shared)", value: account.unreservedCapacity, color: FUNCTION_LIMIT_COLOR });
    }
    limits.push({ label: "account concurrency limit", value: account.concurrencyLimit, color: ACCOUNT_LIMIT_COLOR });
    charts.push(
      figure(
        "concurrency",
        lineChart({
          id: id(),
          title: `${d.name}: concurrent executions against its limits`,
          notes,
          x: timeAxis(t),
          y: { label: "concurrent executions", integer: true },
          series,
          limits,
        }),
      ),
    );
  }
  const rows = Object.entries(s.functions).map(([name, f]) => {
    const provisioned = f.config.provisionedConcurrency.reduce((max, step) => Math.max(max, step.value), 0);
    return [
      escapeXml(name),
      f.config.reservedConcurrency === null ? "–" : count(f.config.reservedConcurrency),
      provisioned > 0 ? count(provisioned) : "–",
      formatNumber(f.metrics.ConcurrentExecutions.mean, 2),
      count(f.metrics.ConcurrentExecutions.max),
      count(f.maxClaimedConcurrency),
      count(f.environments.created),
      count(f.environments.max),
      formatNumber(f.environments.meanAlive, 2),
      formatNumber(f.environments.meanIdle, 2),
      share(f.provisioned.utilizationMean),
      share(f.provisioned.utilizationMax),
    ];
  });
  const heads = [
    "function",
    "reserved",
    "provisioned (peak)",
    "ConcurrentExecutions mean",
    "max",
    "max claimed",
    "environments created",
    "max alive",
    "mean alive",
    "mean idle",
    "provisioned utilization mean",
    "max",
  ];
  return [
    "<h2>Concurrency</h2>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
    ),
    ...charts,
  ];
}

/** ProvisionedConcurrencyUtilization as a percentage; a dash where none was configured. */
function share(value: number | null): string {
  return value === null ? "–" : `${formatNumber(100 * value, 1)} %`;
}

export function coldStartsAndThrottles(drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const notes = reductionNote(t, `the busiest ${periodName(t)} in each`);
  const per = periodName(t);
  const chart = (kind: string, column: DrawnColumn, title: string, label: string) =>
    figure(
      kind,
      lineChart({ id: id(), title, notes, x: timeAxis(t), y: { label, integer: true }, series: perFunctionSeries(drawn, t, column) }),
    );
  return [
    "<h2>Cold starts and throttles</h2>",
    chart("cold-starts", "ColdStarts", `Cold starts per ${per}`, `cold starts per ${per}`),
    chart("throttles", "Throttles", `Throttles (429s) per ${per}`, `throttles per ${per}`),
  ];
}
