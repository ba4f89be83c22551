/** Seconds as the largest whole unit: 900 is 15m, 9000 is 150m, 172800 is 2d. */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
