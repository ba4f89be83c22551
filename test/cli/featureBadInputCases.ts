import type { BadScenario } from "./badInputCorpus.js";

/*
 * The combinations AWS refuses for SnapStart and tenant isolation (docs/lambda-behaviour.md#snapstart,
 * #tenant-isolation), and the new fields' ranges: one line each, exit 2, nothing written.
 */

const fn = (lines: string, runtime = "python3.12") =>
  `duration: 1m\nfunctions:\n  - name: api\n    runtime: ${runtime}\n    duration: 100ms\n${lines}\nworkload:\n  - function: api\n    arrivals: { poisson: { rate: 1 } }\n`;

export const FEATURE_CASES: BadScenario[] = [
  {
    name: "SnapStart on a runtime without it",
    scenario: fn("    snapStart: true", "nodejs22.x"),
    expected: [
      'functions[0].snapStart: SnapStart supports java11 and later, python3.12 and later, and dotnet8 and later; runtime is "nodejs22.x"',
    ],
  },
  {
    name: "SnapStart on Python before 3.12",
    scenario: fn("    snapStart: true", "python3.11"),
    expected: [
      'functions[0].snapStart: SnapStart supports java11 and later, python3.12 and later, and dotnet8 and later; runtime is "python3.11"',
    ],
  },
  {
    name: "SnapStart with provisioned concurrency",
    scenario: fn("    snapStart: true\n    provisionedConcurrency: 2"),
    expected: ["functions[0].snapStart: SnapStart cannot be combined with provisionedConcurrency"],
  },
  {
    name: "SnapStart with ephemeral storage above 512 MB",
    scenario: fn("    snapStart: true\n    ephemeralStorageMb: 1024"),
    expected: ["functions[0].snapStart: SnapStart supports ephemeral storage up to 512 MB; ephemeralStorageMb is 1024"],
  },
  {
    name: "restore without SnapStart",
    scenario: fn("    restore: 200ms"),
    expected: ["functions[0].restore: applies only with snapStart: true"],
  },
  {
    name: "tenant isolation with provisioned concurrency",
    scenario: fn("    tenantIsolation: { tenants: 10 }\n    provisionedConcurrency: 2"),
    expected: ["functions[0].tenantIsolation: tenant isolation cannot be combined with provisionedConcurrency"],
  },
  {
    name: "tenant isolation with SnapStart",
    scenario: fn("    tenantIsolation: { tenants: 10 }\n    snapStart: true"),
    expected: ["functions[0].tenantIsolation: tenant isolation cannot be combined with snapStart"],
  },
  {
    name: "tenant isolation with prewarmed environments",
    scenario: fn("    tenantIsolation: { tenants: 10 }\n    prewarmedEnvironments: 2"),
    expected: [
      "functions[0].tenantIsolation: tenant isolation cannot be combined with prewarmedEnvironments (a prewarmed environment belongs to no tenant)",
    ],
  },
  {
    name: "response larger than 200 MB",
    scenario: fn("    responseStreaming: { sizeMb: 300 }"),
    expected: [/^error: functions\[0\]\.responseStreaming\.sizeMb: .*200.*got 300$/],
  },
  {
    name: "async payload above 1 MB",
    scenario:
      "duration: 1m\nfunctions:\n  - { name: api, duration: 100ms }\nworkload:\n  - { function: api, invocation: async, async: { payloadKb: 2048 }, arrivals: { poisson: { rate: 1 } } }\n",
    expected: [/^error: workload\[0\]\.async\.payloadKb: .*1024.*got 2048$/],
  },
];
