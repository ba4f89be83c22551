/*
 * Every combination Lambda Managed Instances cannot run is refused with one line naming the
 * field, the value and what is allowed; exit 2; nothing written.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT } from "../../src/cli/main.js";
import { runCli } from "../support/cli.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-managed-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One function on managed instances, with `fn` lines added to it and `mi` lines to its managedInstances. */
function scenario(fn: string[] = [], mi: string[] = []): string {
  return [
    "duration: 1m",
    "functions:",
    "  - name: api",
    "    duration: 100ms",
    "    architecture: arm64",
    ...fn.map((line) => `    ${line}`),
    ...(fn.some((line) => line.startsWith("compute:")) ? [] : ["    compute: managed-instances"]),
    ...(fn.some((line) => line.startsWith("memoryMb:")) ? [] : ["    memoryMb: 2048"]),
    "    managedInstances:",
    "      minEnvironments: 3",
    ...mi.map((line) => `      ${line}`),
    "workload:",
    "  - function: api",
    "    arrivals: { poisson: { rate: 1 } }",
    "",
  ].join("\n");
}

const CASES: [string, string, string][] = [
  [
    "managedInstances without compute: managed-instances",
    scenario(["compute: on-demand"]),
    "functions[0].managedInstances: applies only with compute: managed-instances, got compute: on-demand",
  ],
  [
    "provisioned concurrency",
    scenario(["provisionedConcurrency: 2"]),
    "functions[0].provisionedConcurrency: not with compute: managed-instances, whose environments are always ready (no cold starts)",
  ],
  [
    "reserved concurrency",
    scenario(["reservedConcurrency: 10"]),
    "functions[0].reservedConcurrency: not with compute: managed-instances; its capacity is set by managedInstances.minEnvironments and maxEnvironments",
  ],
  [
    "prewarmed environments",
    scenario(["prewarmedEnvironments: 2"]),
    "functions[0].prewarmedEnvironments: not with compute: managed-instances; give managedInstances.minEnvironments instead",
  ],
  [
    "SnapStart",
    scenario(["runtime: java21", "snapStart: true"]),
    "functions[0].snapStart: not with compute: managed-instances: SnapStart restores Firecracker microVM snapshots, and Managed Instances run containers on EC2 instances with no cold start on the request path",
  ],
  [
    "tenant isolation",
    scenario(["tenantIsolation: { tenants: 10 }"]),
    "functions[0].tenantIsolation: not with compute: managed-instances: tenant isolation gives each tenant its own Firecracker environment, and on Managed Instances one environment runs many requests with the capacity provider as the isolation boundary",
  ],
  [
    "a runtime Managed Instances does not run",
    scenario(["runtime: ruby3.3"]),
    'functions[0].runtime: "ruby3.3" cannot run on managed-instances; allowed: Node.js, Java, .NET and Python runtimes',
  ],
  [
    "memory below 2 GB",
    scenario(["memoryMb: 1024"]),
    "functions[0].memoryMb: must be at least 2048 with compute: managed-instances (2 GB and one vCPU is the smallest function), got 1024",
  ],
  [
    "memory that is not whole vCPUs",
    scenario(["memoryMb: 3000"]),
    "functions[0].managedInstances.memoryGiBPerVcpu: memoryMb 3000 / 1024 / memoryGiBPerVcpu 2 must be a whole number of vCPUs (at least 1), got 1.465",
  ],
  [
    "minEnvironments above maxEnvironments",
    scenario([], ["maxEnvironments: 2"]),
    "functions[0].managedInstances.minEnvironments: must be at most maxEnvironments (2), got 3",
  ],
  [
    "an instance of the other architecture",
    scenario([], ["instanceType: m7i.xlarge"]),
    "functions[0].managedInstances.instanceType: m7i.xlarge is x86_64, the function is arm64; choose an instance of its architecture",
  ],
  [
    "an environment larger than the instance",
    scenario(["memoryMb: 8192"], ["instanceType: c7g.large"]),
    "functions[0].managedInstances.instanceType: an environment of 4 vCPU and 8192 MB does not fit on c7g.large (2 vCPU, 4 GiB); choose a larger instance or less memory",
  ],
  [
    "a concurrency above 1,600",
    scenario([], ["maxConcurrencyPerEnvironment: 2000"]),
    "functions[0].managedInstances.maxConcurrencyPerEnvironment: must be <= 1600, got 2000",
  ],
  [
    "a discount of 100 %",
    scenario([], ["savingsPlanDiscount: 1"]),
    "functions[0].managedInstances.savingsPlanDiscount: must be < 1, got 1",
  ],
];

describe("lambdasim run <bad Managed Instances scenario>", () => {
  it.each(CASES)("%s: one line, exit 2, nothing written", async (_, text, line) => {
    const dir = mkdtempSync(join(tmp, "case-"));
    const file = join(dir, "scenario.yaml");
    writeFileSync(file, text);
    const out = join(dir, "out");
    mkdirSync(out);
    const result = await runCli(["run", file, "--out", out]);
    expect(result.code).toBe(EXIT_BAD_INPUT);
    expect(result.err).toBe(`error: ${line}\n`);
    expect(result.out).toBe("");
    expect(readdirSync(out)).toEqual([]);
  });
});
