/** The run report's event-source section: asynchronous invocation, streams and SQS. */
import type { Summary } from "../summary.js";
import { fedFunctions } from "../sources/index.js";
import { escapeXml } from "../format.js";
import { lineChart } from "../svg.js";
import type { Drawn } from "./drawn.js";
import { count, durationUnit, ms } from "./format.js";
import { figure, table } from "./page.js";
import { perFunctionSeries, reductionNote, timeAxis, type DrawnColumn, type Timeline } from "./timeline.js";

/** Charts and tables for asynchronous invocation, streams and SQS, only for the functions that have them. */
export function eventSources(s: Summary, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const withAsync = drawn.filter((d) => d.summary.async !== null);
  const withStream = drawn.filter((d) => d.summary.stream !== null);
  const withSqs = drawn.filter((d) => d.summary.sqs !== null);
  const queued = drawn.filter((d) => d.summary.async !== null || d.summary.stream !== null || d.summary.sqs !== null);
  const tables = eventSourceTables(s);
  if (queued.length === 0 && tables.length === 0) return [];
  const notes = reductionNote(t, "the highest minute in each");
  const ageChart = (kind: string, of: Drawn[], column: DrawnColumn, title: string, what: string) => {
    const peak = Math.max(0, ...of.map((d) => Math.max(0, ...t.byFunction.get(d.name)![column])));
    const unit = durationUnit(peak);
    return figure(kind, lineChart({ id: id(), title, notes, x: timeAxis(t), y: { label: `${what} (${unit.label})` }, series: perFunctionSeries(of, t, column, unit.ms) }));
  };
  const charts: string[] = [];
  if (withAsync.length > 0) charts.push(ageChart("async-event-age", withAsync, "AsyncEventAgeMax", "Asynchronous events: oldest event invoked per minute (AsyncEventAge max)", "event age"));
  if (withStream.length > 0) charts.push(ageChart("iterator-age", withStream, "IteratorAgeMax", "Streams: IteratorAge, highest per minute", "iterator age"));
  if (queued.length > 0) {
    charts.push(
      figure(
        "queue-depth",
        lineChart({
          id: id(),
          title: "Waiting work: units received but not finished, most per minute",
          notes: ["In the async queue, stream shards and SQS queues: queued, waiting to retry, or in a running batch.", ...notes],
          x: timeAxis(t),
          y: { label: "events, records or messages", integer: true },
          series: perFunctionSeries(queued, t, "QueueDepthMax"),
        }),
      ),
    );
  }
  if (withSqs.length > 0) {
    charts.push(
      figure(
        "pollers",
        lineChart({ id: id(), title: "SQS: concurrent batches the pollers allowed, most per minute", notes, x: timeAxis(t), y: { label: "concurrent batches", integer: true }, series: perFunctionSeries(withSqs, t, "PollersMax") }),
      ),
    );
  }
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
