import { InputError } from "../common/inputError.js";
import { OPTIONAL_COST_KEYS, type OptionalKey } from "./costColumns.js";
import { summaryFigures, TOTAL, type ReplicationBlock } from "./figures.js";
import { pairedDifferenceSignificant, significantlyDifferent } from "./statistics.js";
import type { Summary } from "./summary.js";
import { comparedSummarySchema, fileProblems } from "./summarySchema.js";

/*
 * `lambdasim compare`: the difference between a baseline and a candidate summary, function by
 * function, and a verdict against regression thresholds — built to gate CI on a config change.
 */

/** Metric names a threshold may use, and the figure each reads ("<function>.<figure>"). */
const COMPARED_METRICS = {
  p50: "p50Ms",
  p90: "p90Ms",
  p99: "p99Ms",
  p999: "p999Ms",
  duration: "durationMeanMs",
  cost: "costUsd",
  coldStarts: "coldStarts",
  throttles: "Throttles",
  errors: "Errors",
} as const;

export type ComparedMetric = keyof typeof COMPARED_METRICS;

/** The most a metric may grow: relative (10 %) or absolute (in the figure's unit: ms, USD, count). */
export interface Threshold {
  metric: ComparedMetric;
  limit: number;
  relative: boolean;
  text: string;
}

export function parseThreshold(text: string): Threshold {
  const match = /^([A-Za-z0-9]+)=(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const metric = match?.[1];
  if (!match || !metric || !Object.hasOwn(COMPARED_METRICS, metric)) {
    const allowed = Object.keys(COMPARED_METRICS).join(", ");
    throw new InputError([
      {
        path: "--max-regression",
        message: `expected <metric>=<limit>[%] with metric one of ${allowed} (e.g. p99=10% or cost=0.5), got ${JSON.stringify(text)}`,
      },
    ]);
  }
  return {
    metric: metric as ComparedMetric,
    limit: Number(match[2]) / (match[3] === "%" ? 100 : 1),
    relative: match[3] === "%",
    text: text.trim(),
  };
}

/** A compared document: a summary.json, with its `replications` block when it has one. */
export type ComparedSummary = Summary & { replications?: ReplicationBlock };

/** Checks that every figure compared is a number, so that a malformed summary cannot pass a gate; exit 2 otherwise. */
export function asComparedSummary(document: unknown, file: string): ComparedSummary {
  const doc = document as Partial<Summary> | null;
  if (doc === null || typeof doc !== "object" || typeof doc.functions !== "object" || typeof doc.totals !== "object") {
    throw new InputError([{ path: file, message: "not a lambdasim summary.json (no functions and totals)" }]);
  }
  const parsed = comparedSummarySchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw new InputError(fileProblems(file, parsed.error.issues));
  return doc as ComparedSummary;
}

export interface ComparisonRow {
  scope: string;
  /** A thresholdable metric, or an optional cost line (listed, never a threshold's). */
  metric: ComparedMetric | OptionalKey;
  baseline: number;
  candidate: number;
  change: number;
  /** change / baseline; Infinity when the baseline is 0 and the candidate is not. */
  relativeChange: number;
  threshold: string | null;
  exceeded: boolean;
  /** With replications on both sides: whether the difference is significant (Welch, 5 %); null otherwise. */
  significant: boolean | null;
  regression: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  regressions: ComparisonRow[];
  replicated: boolean;
  /** Both sides ran the same seeds, so the significance test is paired. */
  paired: boolean;
  /** Functions present on one side only. */
  onlyInBaseline: string[];
  onlyInCandidate: string[];
  verdict: string;
}

/** A figure of one side: the mean over its replications when it has them, else its one run's value. */
function figureOf(doc: ComparedSummary, figures: Record<string, number>, key: string): { value: number; samples: number[] | null } {
  const replicated = doc.replications?.figures[key];
  if (replicated) return { value: replicated.mean, samples: replicated.values };
  // An optional cost line one side does not have (on-demand against Managed Instances) is 0 there.
  return { value: figures[key] ?? 0, samples: null };
}

export function compareSummaries(baseline: ComparedSummary, candidate: ComparedSummary, thresholds: readonly Threshold[]): Comparison {
  const baseNames = Object.keys(baseline.functions);
  const candNames = new Set(Object.keys(candidate.functions));
  const shared = baseNames.filter((name) => candNames.has(name));
  const replicated = baseline.replications !== undefined && candidate.replications !== undefined;
  // Replications with the same seeds on both sides are paired (common random numbers).
  const paired = replicated && JSON.stringify(baseline.replications!.seeds) === JSON.stringify(candidate.replications!.seeds);
  const significance = paired ? pairedDifferenceSignificant : significantlyDifferent;
  const limits = new Map<string, Threshold>(thresholds.map((t) => [t.metric, t]));
  const baseFigures = summaryFigures(baseline);
  const candFigures = summaryFigures(candidate);
  const rows: ComparisonRow[] = [];
  const scopes = [...shared, TOTAL];
  for (const scope of scopes) {
    const costLines = OPTIONAL_COST_KEYS.filter((key) => `${scope}.${key}` in baseFigures || `${scope}.${key}` in candFigures);
    const compared: [ComparedMetric | OptionalKey, string][] = [
      ...(Object.entries(COMPARED_METRICS) as [ComparedMetric, string][]),
      ...costLines.map((key): [OptionalKey, string] => [key, key]),
    ];
    for (const [metric, figure] of compared) {
      const key = `${scope}.${figure}`;
      if (scope === TOTAL && !(key in baseFigures) && !(key in candFigures)) continue;
      const b = figureOf(baseline, baseFigures, key);
      const c = figureOf(candidate, candFigures, key);
      const change = c.value - b.value;
      const relativeChange = b.value !== 0 ? change / Math.abs(b.value) : change === 0 ? 0 : change > 0 ? Infinity : -Infinity;
      const threshold = limits.get(metric);
      const exceeded = threshold !== undefined && (threshold.relative ? relativeChange > threshold.limit : change > threshold.limit);
      const significant = replicated && b.samples && c.samples ? significance(b.samples, c.samples) : null;
      rows.push({
        scope,
        metric,
        baseline: b.value,
        candidate: c.value,
        change,
        relativeChange,
        threshold: threshold?.text ?? null,
        exceeded,
        significant,
        regression: exceeded && significant !== false,
      });
    }
  }
  const regressions = rows.filter((r) => r.regression);
  const checked = rows.filter((r) => r.threshold !== null).length;
  const describe = (r: ComparisonRow) => `${r.scope} ${r.metric} ${formatChange(r)} > ${r.threshold!.split("=")[1]}`;
  const verdict =
    regressions.length > 0
      ? `FAIL: ${regressions.length} regression${regressions.length > 1 ? "s" : ""} beyond the thresholds (${regressions.map(describe).join("; ")})`
      : thresholds.length === 0
        ? "PASS: no thresholds given (--max-regression <metric>=<limit>); differences listed below"
        : `PASS: no metric beyond its threshold (${checked} checked${replicated ? `, significance by ${paired ? "a paired" : "Welch's"} t test at 5 % over the replications` : ""})`;
  return {
    rows,
    regressions,
    replicated,
    paired,
    onlyInBaseline: baseNames.filter((name) => !candNames.has(name)),
    onlyInCandidate: [...candNames].filter((name) => !baseNames.includes(name)),
    verdict,
  };
}

/** Comparison tables are read as plain text: no thousands separators, so not the reports' formatNumber. */
function significantFigures(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(Number.isInteger(value) ? 0 : 1) : value.toPrecision(4);
}

function formatChange(row: ComparisonRow): string {
  const sign = row.change > 0 ? "+" : "";
  const percent = Number.isFinite(row.relativeChange)
    ? `${sign}${(row.relativeChange * 100).toFixed(1)}%`
    : row.change > 0
      ? "+inf%"
      : "-inf%";
  return `${percent} (${sign}${significantFigures(row.change)})`;
}

/** The table people read under the verdict. */
export function renderComparison(comparison: Comparison): string {
  const lines = [
    `compare: ${comparison.verdict}`,
    "",
    `| function | metric | baseline | candidate | change | threshold | ${comparison.replicated ? "significant | " : ""}verdict |`,
    `|---|---|---:|---:|---:|---:|${comparison.replicated ? "---|" : ""}---|`,
  ];
  for (const r of comparison.rows) {
    const verdict = r.regression ? "REGRESSION" : r.exceeded ? "within noise" : r.threshold ? "ok" : "";
    lines.push(
      `| ${r.scope} | ${r.metric} | ${significantFigures(r.baseline)} | ${significantFigures(r.candidate)} | ${formatChange(r)} | ${r.threshold?.split("=")[1] ?? ""} | ` +
        `${comparison.replicated ? `${r.significant === null ? "" : r.significant ? "yes" : "no"} | ` : ""}${verdict} |`,
    );
  }
  if (comparison.onlyInBaseline.length > 0) lines.push("", `Only in the baseline (not compared): ${comparison.onlyInBaseline.join(", ")}`);
  if (comparison.onlyInCandidate.length > 0)
    lines.push("", `Only in the candidate (not compared): ${comparison.onlyInCandidate.join(", ")}`);
  return `${lines.join("\n")}\n`;
}
