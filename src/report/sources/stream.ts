import { summarize } from "../../metrics/histogram.js";
import type { StreamStats } from "../../sources/stream/stats.js";
import { round } from "../rounding.js";
import { sourceReport } from "./part.js";

export const streamReport = sourceReport({
  summarize: (st: StreamStats) => {
    const age = summarize(st.iteratorAge);
    return {
      records: st.records,
      processed: st.processed,
      discarded: st.discarded,
      expired: st.expired,
      retries: st.retries,
      IteratorAge: { max: round(age.max, 3), p99: round(age.p99, 3) },
      blockedSeconds: { max: round(st.blockedMax, 6), total: round(st.blockedTotal, 6) },
    };
  },
  title: "Streams",
  ageCharts: [
    {
      figure: "iterator-age",
      column: "IteratorAgeMax",
      title: "Streams: IteratorAge, highest per minute",
      measure: { age: "iterator age" },
    },
  ],
  capacityCharts: [],
  markdownHeads: [
    "records",
    "processed",
    "discarded",
    "expired",
    "batch retries",
    "IteratorAge p99 ms",
    "max",
    "blocked s (longest)",
    "blocked s (total)",
  ],
  htmlHeads: [
    "records",
    "processed",
    "discarded",
    "expired",
    "batch retries",
    "IteratorAge p99 ms",
    "max ms",
    "blocked s (longest)",
    "blocked s (total)",
  ],
  cells: (st, _depth, number, ms) => [
    number(st.records),
    number(st.processed),
    number(st.discarded),
    number(st.expired),
    number(st.retries),
    ms(st.IteratorAge.p99),
    ms(st.IteratorAge.max),
    ms(st.blockedSeconds.max),
    ms(st.blockedSeconds.total),
  ],
});
