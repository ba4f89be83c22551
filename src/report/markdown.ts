import { enUsNumber } from "../common/enUsNumber.js";
import { featureMarkdown } from "./featureSections.js";
import { escapeMarkdown } from "./format.js";
import { type CostColumn, optionalCostColumns } from "./costColumns.js";
import { fedFunctions } from "./sources/index.js";
import type { Summary } from "./summary.js";

// Whole numbers without decimals unless more than one is asked for.
const fmt = (value: number, digits = 1) => (Number.isInteger(value) && digits <= 1 ? enUsNumber(value) : enUsNumber(value, digits));
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(2)} %` : "-");
const usd = (value: number) => `$${fmt(value, value >= 100 ? 2 : 6)}`;
const share = (value: number | null) => (value === null ? "-" : `${(100 * value).toFixed(1)} %`);
/** A month's dollars are planned in cents; the window's small bills keep their six decimals. */
const monthUsd = (value: number) => `$${fmt(value, 2)}`;
const usdOrDash = (value: number | null) => (value === null ? "-" : usd(value));

/** report.md: the summary for people, a pure function of summary.json. */
export function renderMarkdown(summary: Summary): string {
  const lines: string[] = [];
  const functions = Object.entries(summary.functions);
  lines.push(`# lambdasim report: ${escapeMarkdown(summary.scenario)}`, "");
  if (summary.description) lines.push(escapeMarkdown(summary.description), "");
  lines.push(
    `Seed ${summary.seed}, region ${summary.region}, arrivals over ${summary.arrivalSpanSeconds === null ? "the whole trace" : `${fmt(summary.arrivalSpanSeconds)} s`}, ` +
      `${fmt(summary.simulatedSeconds, 1)} s simulated. Account limit ${fmt(summary.account.concurrencyLimit)} ` +
      `(${summary.account.scaling} scaling), highest concurrency claimed ${fmt(summary.account.maxClaimedConcurrency)}.` +
      // Said only when there is a warm-up, so a run without one keeps its report.
      (summary.window.from > 0
        ? ` The figures cover the arrivals from the warm-up on, ${fmt(summary.window.from)} s to ${fmt(summary.window.to)} s.`
        : ""),
    "",
    ...(summary.warnings ? ["## Warnings", "", ...summary.warnings.map((w) => `- \`${w.code}\`: ${escapeMarkdown(w.message)}`), ""] : []),
    ...monthlySection(summary),
    "## Requests",
    "",
    "| function | arrivals | succeeded | failed | throttled (final) | Throttles (429s) | cold starts | cold-start rate |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [name, f] of functions) {
    lines.push(
      `| ${name} | ${fmt(f.arrivals)} | ${fmt(f.outcomes.succeeded)} | ${fmt(f.outcomes.failed)} | ${fmt(f.outcomes.throttled)} | ${fmt(f.metrics.Throttles)} | ${fmt(f.coldStarts)} | ${pct(f.coldStarts, f.metrics.Invocations)} |`,
    );
  }
  const t = summary.totals;
  const optional = optionalCostColumns(summary);
  lines.push(
    `| **total** | ${fmt(t.arrivals)} | ${fmt(t.outcomes.succeeded)} | ${fmt(t.outcomes.failed)} | ${fmt(t.outcomes.throttled)} | ${fmt(t.Throttles)} | ${fmt(t.coldStarts)} | ${pct(t.coldStarts, t.Invocations)} |`,
    "",
    "Arrivals are requests, asynchronous events, stream records or queue messages. Besides the columns above, " +
      `${fmt(t.outcomes.dropped)} were dropped and ${fmt(t.outcomes.deadLettered)} dead-lettered` +
      (t.outcomes.inFlight > 0 ? `; ${fmt(t.outcomes.inFlight)} were unfinished when the run stopped.` : "."),
    "",
    "## Latency and duration (ms)",
    "",
    "End-to-end latency includes init, queueing for client retries and backoff; duration is the handler alone (CloudWatch `Duration`).",
    "",
    "| function | latency p50 | p90 | p99 | p99.9 | max | duration mean | p99 | init p50 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [name, f] of functions) {
    const l = f.latencyMs;
    lines.push(
      `| ${name} | ${fmt(l.p50)} | ${fmt(l.p90)} | ${fmt(l.p99)} | ${fmt(l.p999)} | ${fmt(l.max)} | ${fmt(f.durationMs.mean)} | ${fmt(f.durationMs.p99)} | ${fmt(f.initDurationMs.p50)} |`,
    );
  }
  lines.push(
    "",
    "## Concurrency and environments",
    "",
    "| function | reserved | provisioned (peak) | ConcurrentExecutions mean | max | environments created | max alive | mean alive | mean idle | provisioned utilization mean | max |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [name, f] of functions) {
    const provisioned = f.config.provisionedConcurrency.reduce((max, step) => Math.max(max, step.value), 0);
    lines.push(
      `| ${name} | ${f.config.reservedConcurrency ?? "-"} | ${provisioned || "-"} | ${fmt(f.metrics.ConcurrentExecutions.mean, 2)} | ${fmt(f.metrics.ConcurrentExecutions.max)} | ${fmt(f.environments.created)} | ${fmt(f.environments.max)} | ${fmt(f.environments.meanAlive, 2)} | ${fmt(f.environments.meanIdle, 2)} | ${share(f.provisioned.utilizationMean)} | ${share(f.provisioned.utilizationMax)} |`,
    );
  }
  lines.push(...eventSourceSections(functions));
  lines.push(
    "",
    "## Cost of the simulated window (USD, us-east-1 list prices)",
    "",
    "The window's own bill, with the tiers and the free tier applied to it as if it were the whole month; plan with the monthly cost above.",
    "",
    `| function | memory | arch | requests | GB-s | requests $ | compute $ | provisioned $ |${optionalHeads(optional)} total $ | $ per 1 M requests |`,
    `|---|---:|---|---:|---:|---:|---:|---:|${optionalRule(optional)}---:|---:|`,
  );
  const optionalCells = (c: OptionalCost) => optional.map((column) => ` ${usd(column.of(c))} |`).join("");
  for (const [name, f] of functions) {
    const c = f.cost;
    lines.push(
      `| ${name} | ${f.config.memoryMb} MB | ${f.config.architecture} | ${fmt(c.requests)} | ${fmt(c.gbSeconds, 2)} | ${usd(c.requestUsd)} | ${usd(c.computeUsd + c.ephemeralStorageUsd)} | ${usd(c.provisionedUsd)} |${optionalCells(c)} ${usd(c.totalUsd)} | ${usdOrDash(c.perMillionRequestsUsd)} |`,
    );
  }
  lines.push(
    `| **total** | | | ${fmt(t.cost.requests)} | ${fmt(t.cost.gbSeconds, 2)} | ${usd(t.cost.requestUsd)} | ${usd(t.cost.computeUsd + t.cost.ephemeralStorageUsd)} | ${usd(t.cost.provisionedUsd)} |${optionalCells(t.cost)} ${usd(t.cost.totalUsd)} | ${usdOrDash(t.cost.perMillionRequestsUsd)} |`,
    "",
    ...featureMarkdown(summary),
    "Files beside this one: `summary.json` (every figure, field reference in the README) and `timeseries.csv` (1-minute series).",
    "",
  );
  return lines.join("\n");
}

/**
 * The figure to plan with, first: the window's rates over a 730-hour month, with the tiers and the
 * free tier applied to the month as AWS applies them.
 */
function monthlySection(summary: Summary): string[] {
  const m = summary.monthly;
  const heading = "## Monthly cost (USD, us-east-1 list prices)";
  if (m === null) return [heading, "", "No monthly projection: the measured window has no length.", ""];
  const optional = optionalCostColumns(summary);
  const row = (label: string, c: MonthlyFigures) =>
    `| ${label} | ${fmt(c.requests, 0)} | ${fmt(c.gbSeconds, 0)} | ${monthUsd(c.requestUsd)} | ${monthUsd(c.computeUsd + c.ephemeralStorageUsd)} | ${monthUsd(c.provisionedUsd)} |${optional.map((column) => ` ${monthUsd(column.of(c))} |`).join("")} ${monthUsd(c.totalUsd)} | ${usdOrDash(c.perMillionRequestsUsd)} |`;
  const functions = Object.entries(m.functions);
  return [
    heading,
    "",
    `The rates of the measured ${fmt(m.windowSeconds)} s over a ${m.hours}-hour month: duration tiers on each architecture's monthly GB-s, ` +
      `free tier ${m.freeTier ? "taken off the month's requests and GB-s" : "off"}. The cost section below bills the window itself.`,
    "",
    `| function | requests / month | on-demand GB-s / month | requests $ | compute $ | provisioned $ |${optionalHeads(optional)} total $ / month | $ per 1 M requests |`,
    `|---|---:|---:|---:|---:|---:|${optionalRule(optional)}---:|---:|`,
    ...functions.map(([name, c]) => row(name, c)),
    ...(functions.length > 1 ? [row("**total**", m)] : []),
    "",
  ];
}

type MonthlyFigures = NonNullable<Summary["monthly"]>["functions"][string];
type OptionalCost = Parameters<CostColumn["of"]>[0];

const optionalHeads = (columns: readonly CostColumn[]) => columns.map((column) => ` ${column.label} $ |`).join("");
const optionalRule = (columns: readonly CostColumn[]) => columns.map(() => "---:|").join("");
type FunctionEntry = [string, Summary["functions"][string]];

/** A section per invocation path with figures of its own (async, streams, SQS), where a function has one. */
function eventSourceSections(functions: FunctionEntry[]): string[] {
  return fedFunctions(functions).flatMap(({ report, rows }) => [
    "",
    `## ${report.title}`,
    "",
    `| function | ${report.markdownHeads.join(" | ")} |`,
    `|---|${report.markdownHeads.map(() => "---:").join("|")}|`,
    ...rows.map(
      ({ name, f, block }) =>
        `| ${name} | ${report
          .cells(
            block,
            f.maxQueueDepth,
            (v) => fmt(v),
            (v) => fmt(v),
          )
          .join(" | ")} |`,
    ),
  ]);
}
