/** The run report's cost sections: the monthly projection to plan with, and the window's own bill by component. */
import type { Summary } from "../summary.js";
import { escapeXml, formatNumber } from "../format.js";
import { PALETTE, stackedBarChart } from "../svg.js";
import { MAX_DRAWN_FUNCTIONS, several } from "./drawn.js";
import { count, usd } from "./format.js";
import { figure, table } from "./page.js";
import { meanInterval } from "../statistics.js";

const COST_PARTS = [
  { key: "requestUsd", label: "requests", color: PALETTE[0] },
  { key: "computeUsd", label: "compute (on-demand duration)", color: PALETTE[1] },
  { key: "provisionedUsd", label: "provisioned concurrency", color: PALETTE[2] },
  { key: "ephemeralStorageUsd", label: "ephemeral storage", color: PALETTE[4] },
] as const;

/** Lambda Managed Instances' lines, shown only in a report where a function runs on them. */
const MANAGED_PARTS = [
  { key: "managedInstancesEc2Usd", label: "managed instances EC2", color: PALETTE[5] },
  { key: "managedInstancesFeeUsd", label: "management fee", color: PALETTE[6] },
] as const;

type CostPart = { key: string; label: string; color: string };

/** The components of the bill this report shows. */
const partsOf = (s: Summary): readonly CostPart[] =>
  "managedInstancesEc2Usd" in s.totals.cost ? [...COST_PARTS, ...MANAGED_PARTS] : COST_PARTS;

const line = (cost: object, key: string): number => (cost as Record<string, number | undefined>)[key] ?? 0;

/**
 * `runs`: the summaries of every replication (the first is `s`, which the tables show); with more
 * than one, each bar gets the 95 % interval of its mean total as an error bar.
 */
export function cost(s: Summary, id: () => string, runs: readonly Summary[] = [s]): string[] {
  const functions = Object.entries(s.functions);
  const parts = partsOf(s);
  const rows = functions.map(([name, f]) => [
    escapeXml(name),
    `${count(f.config.memoryMb)} MB`,
    escapeXml(f.config.architecture),
    count(f.cost.requests),
    formatNumber(f.cost.gbSeconds, 2),
    ...parts.map((p) => usd(line(f.cost, p.key))),
    usd(f.cost.totalUsd),
    usdOrDash(f.cost.perMillionRequestsUsd),
  ]);
  const t = s.totals.cost;
  const total = [
    "total",
    "",
    "",
    count(t.requests),
    formatNumber(t.gbSeconds, 2),
    ...parts.map((p) => usd(line(t, p.key))),
    usd(t.totalUsd),
    usdOrDash(t.perMillionRequestsUsd),
  ];
  const heads = [
    "function",
    "memory",
    "arch",
    "requests",
    "on-demand GB-s",
    ...parts.map((p) => `${p.label} $`),
    "total $",
    "$ per 1 M requests",
  ];

  // The most expensive functions get a bar each, the rest one bar together, so the sum is the total.
  const ranked = functions
    .map(([name, f], index) => ({ name, cost: f.cost, index }))
    .sort((a, b) => b.cost.totalUsd - a.cost.totalUsd || a.index - b.index);
  const barred = ranked.length > MAX_DRAWN_FUNCTIONS + 1 ? ranked.slice(0, MAX_DRAWN_FUNCTIONS) : ranked;
  const rest = ranked.slice(barred.length);
  const categories = [...barred.map((b) => b.name), ...(rest.length > 0 ? [`${formatNumber(rest.length)} other functions`] : [])];
  const bars = parts.map((p) => ({
    label: p.label,
    color: p.color,
    values: [
      ...barred.map((b) => line(b.cost, p.key)),
      ...(rest.length > 0 ? [rest.reduce((sum, r) => sum + line(r.cost, p.key), 0)] : []),
    ],
  }));
  const totalOf = (summary: Summary, names: string[]) => names.reduce((sum, name) => sum + summary.functions[name].cost.totalUsd, 0);
  const groups = [...barred.map((b) => [b.name]), ...(rest.length > 0 ? [rest.map((r) => r.name)] : [])];
  const intervals =
    runs.length > 1
      ? groups.map((names) => {
          const ci = meanInterval(runs.map((run) => totalOf(run, names)));
          return [Math.max(0, ci.low), ci.high] as [number, number];
        })
      : undefined;
  const chart = stackedBarChart({
    id: id(),
    title: "Cost by function and component",
    notes: [
      "us-east-1 list prices; the tiers and free tier apply to the window as if it were the month, shared out pro rata.",
      ...(intervals
        ? [
            `Bars are the first replication's; the error bars span the 95 % confidence interval of the mean total over ${runs.length} replications.`,
          ]
        : []),
    ],
    intervals,
    categories,
    parts: bars,
    axisLabel: "cost (USD)",
    format: usd,
  });
  return [
    "<h2>Cost of the simulated window</h2>",
    "<p>The window's own bill, with the tiers and the free tier applied to it as if it were the whole month; plan with the monthly cost at the top.</p>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 2 || i === 1 })),
      rows,
      several(s) ? total : undefined,
    ),
    figure("cost", chart),
  ];
}

const usdOrDash = (value: number | null) => (value === null ? "–" : usd(value));

/**
 * The figure to plan with, at the top of the page: the window's rates over a 730-hour month, with
 * the tiers and the free tier applied to the month as AWS applies them.
 */
/** A month's dollars are planned in cents; the window's small bills keep their six decimals. */
const monthUsd = (value: number) => `$${formatNumber(value, 2)}`;

export function monthlyCost(s: Summary): string[] {
  const m = s.monthly;
  if (m === null) return ["<h2>Monthly cost</h2>", "<p>No monthly projection: the measured window has no length.</p>"];
  type Figures = NonNullable<Summary["monthly"]>["functions"][string];
  const managed = "managedInstancesEc2Usd" in m;
  const cells = (label: string, c: Figures) => [
    label,
    formatNumber(c.requests, 0),
    formatNumber(c.gbSeconds, 0),
    monthUsd(c.requestUsd),
    monthUsd(c.computeUsd + c.ephemeralStorageUsd),
    monthUsd(c.provisionedUsd),
    ...(managed ? [monthUsd(line(c, "managedInstancesEc2Usd")), monthUsd(line(c, "managedInstancesFeeUsd"))] : []),
    monthUsd(c.totalUsd),
    usdOrDash(c.perMillionRequestsUsd),
  ];
  const heads = [
    "function",
    "requests / month",
    "on-demand GB-s / month",
    "requests $",
    "compute $",
    "provisioned $",
    ...(managed ? ["managed instances EC2 $", "management fee $"] : []),
    "total $ / month",
    "$ per 1 M requests",
  ];
  return [
    "<h2>Monthly cost</h2>",
    `<p>${monthUsd(m.totalUsd)} a month: the rates of the measured ${formatNumber(m.windowSeconds)} s over a ${m.hours}-hour month, ` +
      `us-east-1 list prices, duration tiers on each architecture's monthly GB-s, free tier ${m.freeTier ? "taken off the month's requests and GB-s" : "off"}.</p>`,
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      Object.entries(m.functions).map(([name, c]) => cells(escapeXml(name), c)),
      several(s) ? cells("total", m) : undefined,
    ),
  ];
}
