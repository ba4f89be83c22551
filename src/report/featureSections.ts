import type { FeatureCost } from "../cost/features.js";
import { FEATURE_COST_KEYS } from "../cost/features.js";
import { formatNumber } from "./format.js";
import type { Summary } from "./summary.js";

/*
 * The report section for SnapStart, tenant isolation and response streaming, in report.md and
 * report.html: by function, the counts the option lines are priced on (the dollars are columns of
 * the cost tables, src/report/costColumns.ts). Absent when no function uses an option.
 */

type FunctionEntry = [string, Summary["functions"][string]];

/** The option cost keys any function has, in a fixed order. */
function keysUsed(functions: FunctionEntry[]): (typeof FEATURE_COST_KEYS)[number][] {
  return FEATURE_COST_KEYS.filter((key) => functions.some(([, f]) => (f.cost as FeatureCost)[key] !== undefined));
}

/** Rows: function and what the option lines are priced on. */
function rows(summary: Summary, keys: readonly (typeof FEATURE_COST_KEYS)[number][]): { head: string[]; body: string[][] } {
  const functions = Object.entries(summary.functions) as FunctionEntry[];
  const head = ["function", "restores", "environments created", "cold-start rate"];
  const body = functions
    .filter(([, f]) => keys.some((k) => (f.cost as FeatureCost)[k] !== undefined))
    .map(([name, f]) => {
      const restores = "snapStart" in f ? formatNumber((f.snapStart as { restores: number }).restores) : "–";
      return [name, restores, formatNumber(f.environments.created), `${formatNumber(f.coldStartRate * 100, 2)} %`];
    });
  return { head, body };
}

const NOTE =
  "SnapStart: cache per GB-s of memory while the version is active (at least 3 hours; a whole month in the projection), restores per GB of memory; " +
  "both free on Java. Tenant isolation: each environment created, per GB of memory. Response streaming: each response's bytes past 6 MB, per GB. " +
  "Their dollars are columns of the cost tables.";

export function featureMarkdown(summary: Summary): string[] {
  const keys = keysUsed(Object.entries(summary.functions) as FunctionEntry[]);
  if (keys.length === 0) return [];
  const { head, body } = rows(summary, keys);
  return [
    "## SnapStart, tenant isolation and response streaming",
    "",
    NOTE,
    "",
    `| ${head.join(" | ")} |`,
    `|---|${head
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
}

export function featureHtml(
  summary: Summary,
  escapeHtml: (text: string) => string,
  table: (heads: string[], rows: string[][]) => string,
): string[] {
  const keys = keysUsed(Object.entries(summary.functions) as FunctionEntry[]);
  if (keys.length === 0) return [];
  const { head, body } = rows(summary, keys);
  return [
    "<h2>SnapStart, tenant isolation and response streaming</h2>",
    `<p>${escapeHtml(NOTE)}</p>`,
    table(
      head,
      body.map((r) => [escapeHtml(r[0]), ...r.slice(1)]),
    ),
  ];
}
