/**
 * How Lambda meters duration (docs/pricing.md#billed-duration), shared by the model (which rounds
 * each invocation), the metrics (which sum GB-s per minute) and cost (which prices the totals). A
 * leaf, so that each of those layers can use it without an arrow running back up; the prices
 * themselves stay in cost/.
 */

/**
 * Lambda rounds billed duration up to the millisecond, with a minimum of 1 ms; the epsilon keeps
 * 0.1 s at 100 ms despite binary floating point.
 */
export function billedMilliseconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds * 1000 - 1e-7));
}

/** GB-s of `milliseconds` at `memoryMb` (memory in GB is MB / 1024). */
export function gbSeconds(milliseconds: number, memoryMb: number): number {
  return (milliseconds * memoryMb) / 1024 / 1000;
}
