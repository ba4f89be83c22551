import { describe, expect, it } from "vitest";
import { csvLine } from "../../src/report/format.js";
import { TIMESERIES_HEADER, timeSeriesCsv, timeSeriesRows } from "../../src/report/timeseries.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

/*
 * run writes timeseries.csv from timeSeriesCsv, which writes each line's bytes straight from the series;
 * it must be the text of timeSeriesRows written by csvLine, line by line, in any piece size.
 */

const SCENARIO = {
  name: "timeseries-text",
  seed: 5,
  duration: "20m",
  functions: [
    { name: "-api", duration: { lognormal: { median: "80ms", p99: "900ms" } } },
    { name: "worker", duration: "2s", reservedConcurrency: 2 },
  ],
  workload: [
    { function: "-api", arrivals: { poisson: { rate: 3 } } },
    {
      function: "worker",
      arrivals: {
        steps: [
          { at: 0, rate: 2 },
          { at: "5m", rate: 0 },
          { at: "15m", rate: 1 },
        ],
      },
    },
  ],
};

const text = (pieces: Uint8Array[]) => Buffer.concat(pieces).toString("utf8");

describe("timeSeriesCsv", () => {
  const result = simulate(resolveScenario(SCENARIO), { periodSeconds: 10 });
  const expected = [TIMESERIES_HEADER, ...timeSeriesRows(result)].map((row) => `${csvLine(row)}\n`).join("");

  it("is timeSeriesRows as CSV: the header, then each function's rows and the account's, quiet periods included", () => {
    expect(expected).toContain("'-api");
    expect(expected).toContain("(account)");
    expect(text([...timeSeriesCsv(result)])).toBe(expected);
  });

  it.each([1, 100, 4096])("in pieces of about %i bytes, each ending with a whole line", (size) => {
    const pieces = [...timeSeriesCsv(result, size)];
    expect(text(pieces)).toBe(expected);
    for (const piece of pieces.slice(0, -1)) expect(piece.length >= size && piece[piece.length - 1] === 10).toBe(true);
  });
});
