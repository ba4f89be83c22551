/** The run report's event-source section: asynchronous invocation, streams and SQS. */
import type { Summary } from "../summary.js";
import { escapeXml, formatNumber, lineChart } from "../svg.js";
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
  const functions = Object.entries(s.functions);
  const numeric = (heads: string[]) => heads.map((head, i) => ({ head, numeric: i > 0 }));
  const html: string[] = [];
  const asyncRows = functions.flatMap(([name, f]) => {
    const a = f.async;
    if (a === null) return [];
    return [
      [escapeXml(name), count(a.AsyncEventsReceived), count(a.retries), count(a.throttleRequeues), count(a.deadLettered), count(a.AsyncEventsDropped), count(a.duplicates), ms(a.eventAgeMs.p50), ms(a.eventAgeMs.p99), ms(a.eventAgeMs.max)],
    ];
  });
  if (asyncRows.length > 0) {
    html.push(
      "<h3>Asynchronous invocation</h3>",
      table(
        numeric(["function", "events received", "retries", "throttle requeues", "dead-lettered", "AsyncEventsDropped", "duplicates", "event age p50 ms", "p99 ms", "max ms"]),
        asyncRows,
      ),
    );
  }
  const streamRows = functions.flatMap(([name, f]) => {
    const st = f.stream;
    if (st === null) return [];
    return [
      [escapeXml(name), count(st.records), count(st.processed), count(st.discarded), count(st.expired), count(st.retries), ms(st.IteratorAge.p99), ms(st.IteratorAge.max), formatNumber(st.blockedSeconds.max, 1), formatNumber(st.blockedSeconds.total, 1)],
    ];
  });
  if (streamRows.length > 0) {
    html.push(
      "<h3>Streams</h3>",
      table(numeric(["function", "records", "processed", "discarded", "expired", "batch retries", "IteratorAge p99 ms", "max ms", "blocked s (longest)", "blocked s (total)"]), streamRows),
    );
  }
  const sqsRows = functions.flatMap(([name, f]) => {
    const q = f.sqs;
    if (q === null) return [];
    return [
      [escapeXml(name), count(q.messages), count(q.deleted), count(q.receives), count(q.movedToDlq), count(q.expired), count(q.maxConcurrentPollers), formatNumber(q.oldestMessageAgeMs.max / 1000, 1), count(f.maxQueueDepth)],
    ];
  });
  if (sqsRows.length > 0) {
    html.push(
      "<h3>SQS</h3>",
      table(numeric(["function", "messages", "deleted", "receives", "moved to DLQ", "expired", "most pollers", "oldest message age max s", "max queue depth"]), sqsRows),
    );
  }
  return html;
}
