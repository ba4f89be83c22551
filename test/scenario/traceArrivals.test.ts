import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/compile.js";
import { InputError } from "../../src/common/inputError.js";
import { simulate } from "../../src/simulate.js";

const SAMPLE = fileURLToPath(new URL("../../scenarios/traces/azure-functions-2021-sample.csv", import.meta.url));
const rows = readFileSync(SAMPLE, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(","));
const APP = "85479ef37b5dc75dd5aeca3bab499129b97a134dac5d740d2c68941de9d63031";

const scenario = (trace: Record<string, unknown>) =>
  resolveScenario({
    account: { scaling: "unlimited" },
    platform: { keepAlive: "infinite" },
    functions: [{ name: "replayed", timeout: "900s", init: "0s", duration: "1s" }],
    workload: [{ function: "replayed", arrivals: { trace: { file: SAMPLE, format: "azure-functions-2021", ...trace } } }],
  });

describe("arrivals: { trace: { format: azure-functions-2021 } } for one function", () => {
  it("replays every row into the function, with the trace's durations as handler times", () => {
    const f = simulate(scenario({})).functions[0];
    expect(f.metrics.arrivals).toBe(rows.length);
    const traceSeconds = rows.reduce((sum, r) => sum + Number(r[3]), 0);
    // Billed ms round each duration up by < 1 ms: the sum lies within one ms per invocation.
    expect(f.metrics.onDemandBilledMs / 1000).toBeGreaterThanOrEqual(traceSeconds - 1e-6);
    expect(f.metrics.onDemandBilledMs / 1000).toBeLessThanOrEqual(traceSeconds + rows.length / 1000);
  });

  it("keeps only the rows of the app (and func) asked for", () => {
    const f = simulate(scenario({ app: APP })).functions[0];
    expect(f.metrics.arrivals).toBe(rows.filter((r) => r[0] === APP).length);
  });

  it("names the filter when nothing matches", () => {
    expect(() => scenario({ app: "nope" })).toThrow(InputError);
    expect(() => scenario({ app: "nope" })).toThrow(/workload\[0\]\.arrivals\.trace: no invocation .* matches app "nope"/);
  });
});
