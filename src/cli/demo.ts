import type { ScenarioInput } from "../scenario/schema.js";

/** What `lambdasim run` simulates when given no file: an API with a lunchtime burst. */
export const DEMO_SCENARIO: ScenarioInput = {
  name: "demo",
  description:
    "Built-in demo: an API on Node.js 22 at 200 req/s that jumps to 8,000 req/s for ten minutes. The burst needs about 1,400 concurrent executions, more than the account limit of 1,000: watch the cold starts, the 429s and the client retries.",
  seed: 1,
  duration: "40m",
  account: { concurrencyLimit: 1000, scaling: "per-function" },
  functions: [
    {
      name: "api",
      runtime: "nodejs22.x",
      memoryMb: 512,
      timeout: "10s",
      duration: { lognormal: { median: "120ms", p99: "900ms" } },
      errorRate: 0.002,
    },
  ],
  workload: [
    {
      function: "api",
      arrivals: {
        steps: [
          { at: 0, rate: 200 },
          { at: "15m", rate: 8000 },
          { at: "25m", rate: 200 },
        ],
      },
      client: { retry: "sdk-standard" },
    },
  ],
};
