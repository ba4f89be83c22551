/**
 * The run report's section over time: each busy function's latency (p50, p99, max) and its
 * invocations, errors and throttles, period by period, so that a burst shows where it happened.
 */
import { lineChart, PALETTE } from "../svg.js";
import type { Drawn } from "./drawn.js";
import { durationUnit } from "./format.js";
import { figure } from "./page.js";
import type { RunReportData } from "./runData.js";
import { lineSeries, periodName, reductionNote, timeAxis, type Timeline } from "./timeline.js";

/**
 * Functions with charts of their own here, the busiest first: two charts each, so more would bury
 * the rest of the report; timeseries.csv has every function's columns.
 */
const CHARTED_FUNCTIONS = 3;

export function overTime(data: RunReportData, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const per = periodName(t);
  const charted = drawn
    .filter((d) => data.functions[d.index].arrivals > 0)
    .sort((a, b) => data.functions[b.index].arrivals - data.functions[a.index].arrivals || a.index - b.index)
    .slice(0, CHARTED_FUNCTIONS);
  if (charted.length === 0) return [];
  const charts = charted.flatMap((d) => {
    const lines = t.byFunction.get(d.name)!;
    const highest = Math.max(0, ...(lines.LatencyMax.band?.high ?? lines.LatencyMax.y));
    const unit = durationUnit(highest);
    return [
      figure(
        "latency-over-time",
        lineChart({
          id: id(),
          title: `${d.name}: latency per ${per}`,
          notes: [
            `Of the invocations that ended in each ${per}; 0 where none did. Percentiles within 0.4 % (exact up to 256 invocations a ${per}).`,
            ...reductionNote(t, `the highest ${per} in each`),
          ],
          x: timeAxis(t),
          y: { label: `latency (${unit.label})` },
          series: [
            lineSeries("max", PALETTE[3], t, lines.LatencyMax, unit.ms),
            lineSeries("p99", PALETTE[1], t, lines.LatencyP99, unit.ms),
            lineSeries("p50", PALETTE[0], t, lines.LatencyP50, unit.ms),
          ],
        }),
      ),
      figure(
        "invocations-over-time",
        lineChart({
          id: id(),
          title: `${d.name}: invocations, errors and throttles per ${per}`,
          notes: reductionNote(t, `the busiest ${per} in each`),
          x: timeAxis(t),
          y: { label: `per ${per}`, integer: true },
          series: [
            lineSeries("Invocations", PALETTE[0], t, lines.Invocations),
            lineSeries("Errors", PALETTE[3], t, lines.Errors),
            lineSeries("Throttles (429s)", PALETTE[4], t, lines.Throttles),
          ],
        }),
      ),
    ];
  });
  const others = drawn.length - charted.length;
  return [
    "<h2>Over time</h2>",
    `<p>Period by period (${per}; <code>run --period</code> chooses 1 s, 10 s, 30 s or 60 s)${others > 0 ? `, for the ${charted.length} busiest functions; timeseries.csv has every function's` : ""}.</p>`,
    ...charts,
  ];
}
