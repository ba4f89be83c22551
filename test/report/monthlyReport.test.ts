/*
 * report.md opens with the monthly cost: per function and in total, with the cost per million
 * requests (what the steady-api example asks for), in the same figures as summary.json.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

const summary = buildSummary(
  simulate(
    resolveScenario({
      name: "two-apis",
      seed: 3,
      duration: "10m",
      functions: [
        { name: "orders", memoryMb: 512, duration: { constant: "50ms" } },
        { name: "search", memoryMb: 1024, architecture: "arm64", duration: { constant: "200ms" }, provisionedConcurrency: 2 },
      ],
      workload: [
        { function: "orders", arrivals: { poisson: { rate: 20 } } },
        { function: "search", arrivals: { poisson: { rate: 5 } } },
      ],
    }),
  ),
);
const markdown = renderMarkdown(summary);

describe("report.md's monthly cost", () => {
  it("is the first section", () => {
    expect(markdown.match(/^## .*/m)?.[0]).toBe("## Monthly cost (USD, us-east-1 list prices)");
  });

  it("gives each function's and the total's month and cost per million requests, as summary.json has them", () => {
    const m = summary.monthly!;
    const usd = (v: number) =>
      `$${v.toLocaleString("en-US", { minimumFractionDigits: v >= 100 ? 2 : 6, maximumFractionDigits: v >= 100 ? 2 : 6 })}`;
    const cents = (v: number) => `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const [name, c] of Object.entries(m.functions)) {
      const row = markdown.split("\n").find((line) => line.startsWith(`| ${name} | ${Math.round(c.requests).toLocaleString("en-US")} |`));
      expect(row, name).toBeDefined();
      expect(row).toContain(`| ${cents(c.totalUsd)} | ${usd(c.perMillionRequestsUsd!)} |`);
    }
    expect(markdown).toContain(`| **total** | ${Math.round(m.requests).toLocaleString("en-US")} |`);
    expect(markdown).toContain(`| ${cents(m.totalUsd)} | ${usd(m.perMillionRequestsUsd!)} |`);
    // The shares sum to the account's month.
    const sum = Object.values(m.functions).reduce((total, c) => total + c.totalUsd, 0);
    expect(Math.abs(sum - m.totalUsd)).toBeLessThan(1e-8);
  });

  it("sits beside the window's cost per million requests in the cost section", () => {
    const t = summary.totals.cost;
    expect(t.perMillionRequestsUsd).toBeCloseTo((t.totalUsd / t.requests) * 1e6, 8);
    expect(markdown).toContain("## Cost of the simulated window");
  });
});
