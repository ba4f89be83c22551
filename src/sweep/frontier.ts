/**
 * Marks the Pareto frontier of points to be minimised on both axes (cost and p99 latency): a
 * point is on it when no other point is at least as good on both and better on one. Ties (the
 * same point twice) are both on it.
 */
export function paretoFrontier(points: readonly { x: number; y: number }[]): boolean[] {
  return points.map((p, i) => !points.some((q, j) => j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)));
}
