/** The sweep's report.html: every variant, cost against p99 latency, and a memory sweep's power-tuning curve. */
import { escapeXml, formatNumber } from "../format.js";
import { lineChart, PALETTE, scatterChart } from "../svg.js";
import { ms, usd } from "./format.js";
import { figure, page, table, type Column } from "./page.js";

/**
 * One variant of a sweep. `onFrontier`: no other variant is at least as cheap and as fast and
 * strictly better in one (the sweep computes it). Any other fields (the swept parameters, other
 * figures) become extra table columns, in the order they first appear.
 */
export interface SweepRow {
  label: string;
  costUsd: number;
  p99Ms: number;
  onFrontier: boolean;
  /** Off the frontier only by differences within the 95 % intervals (src/sweep/frontier.ts). */
  indistinguishable?: boolean;
  /** With replications: the 95 % intervals of the mean cost and p99. */
  costCi?: [number, number];
  p99Ci?: [number, number];
  [field: string]: unknown;
}

const SWEEP_FIELDS = new Set(["label", "costUsd", "p99Ms", "onFrontier", "indistinguishable", "costCi", "p99Ci"]);

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? formatNumber(value) : formatNumber(value, Math.abs(value) >= 100 ? 2 : 4);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return escapeXml(typeof value === "string" ? value : JSON.stringify(value));
}

/**
 * A memory sweep's power-tuning curve: for each memory size, the function's cost per million
 * invocations and its mean duration (CPU share grows with memory, so duration falls).
 */
export interface PowerTuningCurve {
  functionName: string;
  memoryMb: number[];
  usdPerMillion: number[];
  durationMeanMs: number[];
  /** With replications: each point's 95 % interval. */
  usdPerMillionCi?: [number, number][];
  durationMeanMsCi?: [number, number][];
}

function powerTuningCharts(curve: PowerTuningCurve): string[] {
  const x = Float64Array.from(curve.memoryMb);
  const chart = (id: string, title: string, label: string, y: number[], color: string, ci?: [number, number][]) =>
    lineChart({
      id,
      title,
      notes: [
        `${curve.functionName}, one point per memory size of the sweep.`,
        ...(ci ? ["Means over the replications; the error bars are their 95 % confidence intervals."] : []),
      ],
      x: { label: "memory (MB)" },
      y: { label },
      series: [
        {
          label: curve.functionName,
          color,
          shape: "line",
          x,
          y: Float64Array.from(y),
          ...(ci && { errorBars: ci.map(([low, high], i) => ({ x: x[i], low, high })) }),
        },
      ],
    });
  return [
    figure(
      "power-tuning-cost",
      chart(
        "chart-2",
        "Power tuning: cost per million invocations",
        "USD per million invocations",
        curve.usdPerMillion,
        PALETTE[0],
        curve.usdPerMillionCi,
      ),
    ),
    figure(
      "power-tuning-duration",
      chart("chart-3", "Power tuning: mean duration", "mean duration (ms)", curve.durationMeanMs, PALETTE[1], curve.durationMeanMsCi),
    ),
  ];
}

/**
 * HTML for a sweep: every variant in a table, cost against p99 latency with the Pareto frontier,
 * and for a memory sweep the power-tuning curve.
 */
export function renderSweepHtml(rows: SweepRow[], title: string, powerTuning?: PowerTuningCurve, findings: readonly string[] = []): string {
  const extra: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!SWEEP_FIELDS.has(key) && !extra.includes(key)) extra.push(key);
  const columns: Column[] = [
    { head: "variant" },
    { head: "cost", numeric: true },
    { head: "p99 latency ms", numeric: true },
    { head: "on the frontier" },
    ...extra.map((head) => ({ head, numeric: rows.some((r) => typeof r[head] === "number") })),
  ];
  const cells = rows.map((r) => [
    escapeXml(r.label),
    r.costCi ? `${usd(r.costUsd)} ± ${usd((r.costCi[1] - r.costCi[0]) / 2)}` : usd(r.costUsd),
    r.p99Ci ? `${ms(r.p99Ms)} ± ${ms((r.p99Ci[1] - r.p99Ci[0]) / 2)}` : ms(r.p99Ms),
    r.onFrontier ? "yes" : r.indistinguishable ? "indistinguishable" : "–",
    ...extra.map((key) => cellText(r[key])),
  ]);
  const frontier = rows.filter((r) => r.onFrontier).length;
  const ties = rows.filter((r) => !r.onFrontier && r.indistinguishable).length;
  const replicated = rows.some((r) => r.costCi !== undefined);
  const chart = scatterChart({
    id: "chart-1",
    title: "Cost against p99 latency",
    notes: [
      "Lower left is better. On the frontier, no other variant is both cheaper and faster at p99.",
      ...(replicated
        ? [
            "Means over the replications; the error bars are their 95 % confidence intervals. A variant clearly beaten (intervals apart)",
            "on one axis and not clearly better on the other is dominated; one beaten only within the intervals is indistinguishable.",
          ]
        : []),
    ],
    x: { label: "p99 latency (ms)" },
    y: { label: "cost (USD)" },
    points: rows.map((r) => ({
      label: r.label,
      x: r.p99Ms,
      y: r.costUsd,
      highlight: r.onFrontier,
      tie: !r.onFrontier && r.indistinguishable === true,
      ...(r.p99Ci && { xRange: r.p99Ci }),
      ...(r.costCi && { yRange: r.costCi }),
    })),
    highlightLabel: `on the frontier (${frontier})`,
    tieLabel: ties > 0 ? `indistinguishable from the frontier (${ties})` : undefined,
    otherLabel: `dominated (${rows.length - frontier - ties})`,
    lineLabel: "frontier",
  });
  return page(title, [
    `<h1>${escapeXml(title)}</h1>`,
    `<p class="meta">${formatNumber(rows.length)} variants, ${formatNumber(frontier)} on the cost / p99 frontier${ties > 0 ? `, ${formatNumber(ties)} indistinguishable from it` : ""}.</p>`,
    ...findings.map((finding) => `<p><strong>${escapeXml(finding)}</strong></p>`),
    figure("sweep-frontier", chart),
    ...(powerTuning ? powerTuningCharts(powerTuning) : []),
    table(columns, cells),
    "<footer>Generated by lambdasim: a pure function of the sweep's results.</footer>",
  ]);
}
