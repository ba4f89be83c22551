/**
 * Marks the Pareto frontier of points to be minimised on both axes (cost and p99 latency): a
 * point is on it when no other point is at least as good on both and better on one. Ties (the
 * same point twice) are both on it.
 */
export function paretoFrontier(points: readonly { x: number; y: number }[]): boolean[] {
  return points.map((p, i) => !points.some((q, j) => j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)));
}

/** A figure's mean over replications and its 95 % confidence interval (low = high = mean for one run). */
export interface Estimate {
  mean: number;
  low: number;
  high: number;
}

/**
 * Where a variant stands against the others, its cost and p99 known only within their intervals:
 * - "dominated": another variant clearly dominates it (below);
 * - "indistinguishable": none clearly dominates it, but one is at least as good on both means and
 *   better on one, by differences within the intervals: the replications cannot tell them apart;
 * - "frontier": neither.
 */
export type FrontierStatus = "frontier" | "indistinguishable" | "dominated";

/** a is clearly below b: a's interval lies wholly below b's, so they do not overlap. */
const clearlyBelow = (a: Estimate, b: Estimate) => a.high < b.low;

/**
 * The frontier with replications. q *clearly dominates* p when q is clearly better on one axis
 * (q's 95 % interval wholly below p's) and not clearly worse on the other (p's not wholly below
 * q's). So a variant that is clearly dearer for a p99 gain inside the intervals is dominated, and
 * one beaten only inside the intervals is "indistinguishable", not dominated. With one run per
 * variant every interval is a point, clear dominance is Pareto dominance, and nothing is
 * indistinguishable.
 */
export function frontierStatus(points: readonly { cost: Estimate; p99: Estimate }[]): FrontierStatus[] {
  const clearlyDominates = (q: { cost: Estimate; p99: Estimate }, p: { cost: Estimate; p99: Estimate }) =>
    (clearlyBelow(q.cost, p.cost) && !clearlyBelow(p.p99, q.p99)) || (clearlyBelow(q.p99, p.p99) && !clearlyBelow(p.cost, q.cost));
  const byMeans = paretoFrontier(points.map((p) => ({ x: p.cost.mean, y: p.p99.mean })));
  return points.map((p, i) => {
    if (points.some((q, j) => j !== i && clearlyDominates(q, p))) return "dominated";
    return byMeans[i] ? "frontier" : "indistinguishable";
  });
}
