import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvCell } from "../../src/report/format.js";
import { timeSeriesRows } from "../../src/report/timeseries.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { buildSweepDocument, sweepCsv } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";

const SCENARIO = {
  name: "csv-injection",
  seed: 3,
  duration: "2m",
  functions: [{ name: "-cmd", duration: "100ms" }],
  workload: [{ function: "-cmd", arrivals: { poisson: { rate: 2 } } }],
};

const tmp = mkdtempSync(join(tmpdir(), "lambdasim-csv-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("CSV cells a spreadsheet would run as formulas", () => {
  it("get a leading single quote when they are text starting with =, +, -, @, a tab or a carriage return", () => {
    expect(["=SUM(A1)", "+1+cmd", "-2+3", "@SUM(1)", "\tx", "\rx"].map(csvCell)).toEqual([
      "'=SUM(A1)",
      "'+1+cmd",
      "'-2+3",
      "'@SUM(1)",
      "'\tx",
      "'\rx",
    ]);
  });

  it("are left alone when they are numbers, text that is just a number, or ordinary text", () => {
    expect([-0.5, 12, "-0.5", "-3", "1e-6", "api", "a=b", "(account)"].map(csvCell)).toEqual([
      -0.5,
      12,
      "-0.5",
      "-3",
      "1e-6",
      "api",
      "a=b",
      "(account)",
    ]);
  });

  it("timeseries.csv neutralises a function name starting with a hyphen", () => {
    const rows = [...timeSeriesRows(simulate(resolveScenario(SCENARIO)))];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(["'-cmd"]));
  });

  it("sweep.csv neutralises a varied text value", async () => {
    const plan = planSweep(SCENARIO, { vary: ['description="@SUM(1)",=SUM(1),plain'], baseDir: tmp, defaultName: "x" });
    const doc = buildSweepDocument(plan.definition, plan.variants, await runSweep(plan, { workers: 1 }));
    const { header, rows } = sweepCsv(doc);
    const column = header.indexOf("description");
    expect(rows.map((row) => row[column])).toEqual(["'@SUM(1)", "'=SUM(1)", "plain"]);
  });
});
