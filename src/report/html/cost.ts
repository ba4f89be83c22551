/** The run report's cost section: each function's bill by component, and the total. */
import type { Summary } from "../summary.js";
import { escapeXml, formatNumber } from "../format.js";
import { PALETTE, stackedBarChart } from "../svg.js";
import { MAX_DRAWN_FUNCTIONS, several } from "./drawn.js";
import { count, usd } from "./format.js";
import { figure, table } from "./page.js";

const COST_PARTS = [
  { key: "requestUsd", label: "requests", color: PALETTE[0] },
  { key: "computeUsd", label: "compute (on-demand duration)", color: PALETTE[1] },
  { key: "provisionedUsd", label: "provisioned concurrency", color: PALETTE[2] },
  { key: "ephemeralStorageUsd", label: "ephemeral storage", color: PALETTE[4] },
] as const;

export function cost(s: Summary, id: () => string): string[] {
  const functions = Object.entries(s.functions);
  const rows = functions.map(([name, f]) => [
    escapeXml(name),
    `${count(f.config.memoryMb)} MB`,
    escapeXml(f.config.architecture),
    count(f.cost.requests),
    formatNumber(f.cost.gbSeconds, 2),
    ...COST_PARTS.map((p) => usd(f.cost[p.key])),
    usd(f.cost.totalUsd),
  ]);
  const t = s.totals.cost;
  const total = [
    "total",
    "",
    "",
    count(t.requests),
    formatNumber(t.gbSeconds, 2),
    ...COST_PARTS.map((p) => usd(t[p.key])),
    usd(t.totalUsd),
  ];
  const heads = ["function", "memory", "arch", "requests", "on-demand GB-s", ...COST_PARTS.map((p) => `${p.label} $`), "total $"];

  // The most expensive functions get a bar each, the rest one bar together, so the sum is the total.
  const ranked = functions
    .map(([name, f], index) => ({ name, cost: f.cost, index }))
    .sort((a, b) => b.cost.totalUsd - a.cost.totalUsd || a.index - b.index);
  const barred = ranked.length > MAX_DRAWN_FUNCTIONS + 1 ? ranked.slice(0, MAX_DRAWN_FUNCTIONS) : ranked;
  const rest = ranked.slice(barred.length);
  const categories = [...barred.map((b) => b.name), ...(rest.length > 0 ? [`${formatNumber(rest.length)} other functions`] : [])];
  const parts = COST_PARTS.map((p) => ({
    label: p.label,
    color: p.color,
    values: [...barred.map((b) => b.cost[p.key]), ...(rest.length > 0 ? [rest.reduce((sum, r) => sum + r.cost[p.key], 0)] : [])],
  }));
  const chart = stackedBarChart({
    id: id(),
    title: "Cost by function and component",
    notes: ["us-east-1 list prices; the tiers and free tier apply to the whole run, shared out pro rata."],
    categories,
    parts,
    axisLabel: "cost (USD)",
    format: usd,
  });
  return [
    "<h2>Cost</h2>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 2 || i === 1 })),
      rows,
      several(s) ? total : undefined,
    ),
    figure("cost", chart),
  ];
}
