import type { SqsStats } from "../../sources/sqs/stats.js";
import { round } from "../rounding.js";
import { sourceReport } from "./part.js";

export const sqsReport = sourceReport({
  summarize: (q: SqsStats) => ({
    messages: q.messages,
    deleted: q.deleted,
    receives: q.receives,
    movedToDlq: q.movedToDlq,
    expired: q.expired,
    maxConcurrentPollers: q.maxConcurrentPollers,
    oldestMessageAgeMs: { max: round(q.oldestMessageAgeMax, 3) },
    // Provisioned mode only, so the block of a default mapping stays as it always was.
    ...(q.provisioned ? { eventPollersMax: q.eventPollersMax, pollerHours: round(q.pollerSecondsBilled / 3600, 6) } : {}),
  }),
  title: "SQS",
  ageCharts: [],
  capacityCharts: [
    {
      figure: "pollers",
      column: "PollersMax",
      title: "SQS: concurrent batches the pollers allowed, most per minute",
      measure: { count: "concurrent batches" },
    },
  ],
  markdownHeads: [
    "messages",
    "deleted",
    "receives",
    "moved to DLQ",
    "expired",
    "most pollers",
    "oldest message age max s",
    "max queue depth",
  ],
  htmlHeads: ["messages", "deleted", "receives", "moved to DLQ", "expired", "most pollers", "oldest message age max s", "max queue depth"],
  cells: (q, maxQueueDepth, number, ms) => [
    number(q.messages),
    number(q.deleted),
    number(q.receives),
    number(q.movedToDlq),
    number(q.expired),
    // Provisioned mode: the batch slots and, beside them, the event pollers and their billed hours.
    q.eventPollersMax !== undefined && q.pollerHours !== undefined
      ? `${number(q.maxConcurrentPollers)} (${number(q.eventPollersMax)} event pollers, ${ms(q.pollerHours)} EPU-hours)`
      : number(q.maxConcurrentPollers),
    ms(q.oldestMessageAgeMs.max / 1000),
    number(maxQueueDepth),
  ],
});
