import type { Summary } from "./summary.js";

/*
 * SQS provisioned pollers' cost line in the reports. summary.json carries it only for a run with
 * provisioned pollers, so every other run's reports keep the columns they always had.
 */

/** Whether the run's summary has the SQS event poller cost line. */
export function hasPollers(s: Summary): boolean {
  return "pollersUsd" in s.totals.cost;
}

/** A cost block's event poller dollars (0 where the run has none). */
export function pollersUsd(c: { pollersUsd?: number }): number {
  return c.pollersUsd ?? 0;
}
