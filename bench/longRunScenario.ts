/**
 * The scenario of the whole-process benchmarks (issue 12's "a 900,000-request run"): one function
 * (512 MB, lognormal handler time, median 80 ms, p99 400 ms) and Poisson arrivals at 1 request/s
 * for `seconds` seconds: about `seconds` invocations and `seconds` / 60 time-series rows.
 */
export function longRunYaml(seconds: number): string {
  return [
    "name: whole-process",
    "seed: 1",
    `duration: ${seconds}s`,
    "functions:",
    "  - { name: f, memoryMb: 512, duration: { lognormal: { median: 80ms, p99: 400ms } } }",
    "workload:",
    "  - { function: f, arrivals: { poisson: { rate: 1 } } }",
    "",
  ].join("\n");
}
