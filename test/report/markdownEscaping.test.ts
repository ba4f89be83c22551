import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/report/format.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
import { buildSweepDocument, sweepMarkdown } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";
import { DESCRIPTION_WITH_MARKUP, twoSyncFunctions } from "./reportScenarios.js";

const tmp = mkdtempSync(join(tmpdir(), "lambdasim-md-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("user text in report.md and sweep.md", () => {
  it("has HTML-significant characters and cell breaks escaped, and inner line breaks joined", () => {
    expect(escapeMarkdown("a <b> & c | d\n# heading\r\n- item\n")).toBe("a &lt;b&gt; &amp; c \\| d # heading - item\n");
    expect(escapeMarkdown("plain text, 80 % of it\n")).toBe("plain text, 80 % of it\n");
  });

  it("report.md carries a description's markup as text", () => {
    const markdown = renderMarkdown(buildSummary(twoSyncFunctions()));
    expect(markdown).not.toContain(DESCRIPTION_WITH_MARKUP);
    expect(markdown.split("\n")[2]).toBe("Burst &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'quotes'");
  });

  it("report.md keeps a multi-line description in one paragraph", () => {
    const summary = { ...buildSummary(twoSyncFunctions()), description: "first | line\n## Injected\n" };
    const lines = renderMarkdown(summary).split("\n");
    expect(lines[2]).toBe("first \\| line ## Injected");
    expect(lines.filter((line) => line.startsWith("## Injected"))).toEqual([]);
  });

  it("sweep.md escapes a varied text value in the label and the header", async () => {
    const scenario = {
      name: "md-escaping",
      duration: "1m",
      functions: [{ name: "api", duration: "100ms" }],
      workload: [{ function: "api", arrivals: { poisson: { rate: 2 } } }],
    };
    const plan = planSweep(scenario, { vary: ['description="a|<b>"'], baseDir: tmp, defaultName: "x" });
    const markdown = sweepMarkdown(buildSweepDocument(plan.definition, plan.variants, await runSweep(plan, { workers: 1 })));
    expect(markdown).toContain("1 variants of `description` (a\\|&lt;b&gt;);");
    expect(markdown).toContain("| 0 | description=a\\|&lt;b&gt; | $");
    expect(markdown).not.toContain("<b>");
  });
});
