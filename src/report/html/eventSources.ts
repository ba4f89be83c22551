/** The run report's event-source section: asynchronous invocation, streams and SQS. */
import type { Summary } from "../summary.js";
import { fedFunctions, REPORTED_KINDS, reportOf } from "../sources/index.js";
import type { SourceChart } from "../sources/part.js";
import { escapeXml } from "../format.js";
import { lineChart } from "../svg.js";
import type { Drawn } from "./drawn.js";
import { count, durationUnit, ms } from "./format.js";
import { figure, table } from "./page.js";
import { periodName, perFunctionSeries, reductionNote, timeAxis, type Timeline } from "./timeline.js";

/** Tables and charts for the invocation paths with figures of their own, only for the functions they feed. */
export function eventSources(s: Summary, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const paths = REPORTED_KINDS.map((kind) => ({ report: reportOf(kind), fed: drawn.filter((d) => d.summary[kind] !== null) }));
  const queued = drawn.filter((d) => REPORTED_KINDS.some((kind) => d.summary[kind] !== null));
  const tables = eventSourceTables(s);
  if (queued.length === 0 && tables.length === 0) return [];
  const notes = reductionNote(t, `the highest ${periodName(t)} in each`);
  const chart = ({ figure: name, column, title, measure }: SourceChart, of: Drawn[]) => {
    let y: { label: string; integer?: boolean };
    let scale = 1;
    if ("count" in measure) {
      y = { label: measure.count, integer: true };
    } else {
      // Ages are drawn in the unit that suits the largest, so the axis reads in small numbers.
      const unit = durationUnit(
        Math.max(
          0,
          ...of.map((d) => Math.max(0, ...(t.byFunction.get(d.name)![column].band?.high ?? t.byFunction.get(d.name)![column].y))),
        ),
      );
      y = { label: `${measure.age} (${unit.label})` };
      scale = unit.ms;
    }
    // The paths' titles are written for the default period of a minute.
    const titled = title.replace("per minute", `per ${periodName(t)}`);
    return figure(name, lineChart({ id: id(), title: titled, notes, x: timeAxis(t), y, series: perFunctionSeries(of, t, column, scale) }));
  };
  const charts: string[] = [];
  for (const { report, fed } of paths) if (fed.length > 0) charts.push(...report.ageCharts.map((c) => chart(c, fed)));
  if (queued.length > 0) {
    charts.push(
      figure(
        "queue-depth",
        lineChart({
          id: id(),
          title: `Waiting work: units received but not finished, most per ${periodName(t)}`,
          notes: ["In the async queue, stream shards and SQS queues: queued, waiting to retry, or in a running batch.", ...notes],
          x: timeAxis(t),
          y: { label: "events, records or messages", integer: true },
          series: perFunctionSeries(queued, t, "QueueDepthMax"),
        }),
      ),
    );
  }
  for (const { report, fed } of paths) if (fed.length > 0) charts.push(...report.capacityCharts.map((c) => chart(c, fed)));
  return ["<h2>Event sources</h2>", ...tables, ...charts];
}

function eventSourceTables(s: Summary): string[] {
  return fedFunctions(Object.entries(s.functions)).flatMap(({ report, rows }) => [
    `<h3>${report.title}</h3>`,
    table(
      ["function", ...report.htmlHeads].map((head, i) => ({ head, numeric: i > 0 })),
      rows.map(({ name, f, block }) => [escapeXml(name), ...report.cells(block, f.maxQueueDepth, count, ms)]),
    ),
  ]);
}
