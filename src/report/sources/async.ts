import { summarize } from "../../metrics/histogram.js";
import type { AsyncStats } from "../../sources/async/stats.js";
import { round } from "../rounding.js";
import { sourceReport } from "./part.js";

export const asyncReport = sourceReport({
  summarize: (a: AsyncStats) => {
    const age = summarize(a.eventAge);
    return {
      AsyncEventsReceived: a.received,
      AsyncEventsDropped: a.dropped,
      retries: a.retries,
      deadLettered: a.deadLettered,
      throttleRequeues: a.throttleRequeues,
      duplicates: a.duplicates,
      eventAgeMs: { p50: round(age.p50, 3), p99: round(age.p99, 3), max: round(age.max, 3) },
    };
  },
  title: "Asynchronous invocation",
  ageCharts: [
    {
      figure: "async-event-age",
      column: "AsyncEventAgeMax",
      title: "Asynchronous events: oldest event invoked per minute (AsyncEventAge max)",
      measure: { age: "event age" },
    },
  ],
  capacityCharts: [],
  markdownHeads: [
    "events received",
    "retries",
    "throttle requeues",
    "dead-lettered",
    "AsyncEventsDropped (dead-lettered included)",
    "duplicates",
    "event age p50 ms",
    "p99",
    "max",
  ],
  htmlHeads: [
    "events received",
    "retries",
    "throttle requeues",
    "dead-lettered",
    "AsyncEventsDropped",
    "duplicates",
    "event age p50 ms",
    "p99 ms",
    "max ms",
  ],
  cells: (a, _depth, number, ms) => [
    number(a.AsyncEventsReceived),
    number(a.retries),
    number(a.throttleRequeues),
    number(a.deadLettered),
    number(a.AsyncEventsDropped),
    number(a.duplicates),
    ms(a.eventAgeMs.p50),
    ms(a.eventAgeMs.p99),
    ms(a.eventAgeMs.max),
  ],
});
