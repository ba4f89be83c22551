/** The run report's outcomes and latency sections: how each arrival ended, and how long it took. */
import type { Summary } from "../summary.js";
import { escapeXml } from "../format.js";
import { lineChart, type Series } from "../svg.js";
import { several, type Drawn } from "./drawn.js";
import { count, ms, percent } from "./format.js";
import { figure, table } from "./page.js";
import type { RunReportData } from "./runData.js";
import { meanInterval } from "../statistics.js";

/** One row of the outcomes table, for a function or for the totals (the same figures). */
function outcomeCells(
  label: string,
  arrivals: number,
  o: Summary["totals"]["outcomes"],
  invocations: number,
  throttles: number,
  coldStarts: number,
): string[] {
  const counts = [arrivals, o.succeeded, o.failed, o.throttled, o.dropped, o.deadLettered, o.inFlight, invocations, throttles, coldStarts];
  return [label, ...counts.map(count), percent(coldStarts, invocations)];
}

export function outcomes(s: Summary): string[] {
  const rows = Object.entries(s.functions).map(([name, f]) =>
    outcomeCells(escapeXml(name), f.arrivals, f.outcomes, f.metrics.Invocations, f.metrics.Throttles, f.coldStarts),
  );
  const t = s.totals;
  const total = outcomeCells("total", t.arrivals, t.outcomes, t.Invocations, t.Throttles, t.coldStarts);
  const heads = [
    "function",
    "arrivals",
    "succeeded",
    "failed",
    "throttled (final)",
    "dropped",
    "dead-lettered",
    "in flight",
    "Invocations",
    "Throttles (429s)",
    "cold starts",
    "cold-start rate",
  ];
  return [
    "<h2>Outcomes</h2>",
    "<p>How each arrival (request, event, record or message) ended; the outcomes sum to the arrivals. Throttles counts every 429, retried ones included.</p>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
      several(s) ? total : undefined,
    ),
  ];
}

/** The percentiles a CDF marks with their interval over replications, as shares and summary fields. */
const MARKED = [
  { p: 0.5, key: "p50" },
  { p: 0.9, key: "p90" },
  { p: 0.99, key: "p99" },
  { p: 0.999, key: "p999" },
] as const;

/** `runs`: the run the tables describe, then its other replications (whose percentiles give the whiskers). */
export function latency(runs: readonly RunReportData[], drawn: Drawn[], id: () => string): string[] {
  const { summary: s, functions } = runs[0];
  const rows = Object.entries(s.functions).map(([name, f]) => [
    escapeXml(name),
    ms(f.latencyMs.p50),
    ms(f.latencyMs.p90),
    ms(f.latencyMs.p99),
    ms(f.latencyMs.p999),
    ms(f.latencyMs.max),
    ms(f.durationMs.mean),
    ms(f.durationMs.p99),
    ms(f.initDurationMs.p50),
    ms(f.initDurationMs.max),
  ]);
  const heads = ["function", "latency p50", "p90", "p99", "p99.9", "max", "duration mean", "duration p99", "init p50", "init max"];
  const series: Series[] = drawn
    .filter((d) => functions[d.index].latency.length > 0)
    .map((d) => {
      const points = functions[d.index].latency;
      const series: Series = {
        label: `${d.name} (p99 ${ms(d.summary.latencyMs.p99)} ms)`,
        color: d.color,
        shape: "line",
        x: points.map((p) => p.value),
        y: points.map((p) => p.p),
      };
      if (runs.length === 1) return series;
      const whiskers = MARKED.filter(({ p }) => points.some((point) => point.p >= p && point.p < 1)).map(({ p, key }) => {
        const ci = meanInterval(runs.map((r) => r.summary.functions[d.name].latencyMs[key]));
        return { y: p, low: Math.max(0, ci.low), high: ci.high };
      });
      return { ...series, whiskers };
    });
  const chart = lineChart({
    id: id(),
    title: "Latency: share of invocations at or below each latency",
    notes:
      series.length === 0
        ? ["No invocation ran."]
        : [
            "Spread so that 90 %, 99 %, 99.9 % … are equally spaced; the top edge is the maximum.",
            "Exact up to 2,048 invocations per function, then from a histogram within 0.4 %.",
            ...(runs.length > 1
              ? [
                  `The curves are the first replication's; the whiskers at 50, 90, 99 and 99.9 % span the 95 % confidence interval of that percentile's mean over ${runs.length} replications.`,
                ]
              : []),
          ],
    x: { label: "latency (ms, log scale)", scale: "log" },
    y: { label: "invocations at or below", scale: "nines" },
    series,
  });
  return [
    "<h2>Latency</h2>",
    "<p>Latency as the caller sees it, init included: for synchronous requests from the first attempt to the response (client retries and backoff included); " +
      "for event sources from the invoke to the response (the wait before it is under Event sources). Duration is the handler alone (CloudWatch Duration). All in ms.</p>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
    ),
    figure("latency-cdf", chart),
  ];
}
