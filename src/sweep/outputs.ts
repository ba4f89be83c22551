import { OPTIONAL_COST_KEYS, OPTIONAL_COST_LABELS } from "../report/costColumns.js";
import { summaryFigures, TOTAL } from "../report/figures.js";
import { csvCell, escapeMarkdown } from "../report/format.js";
import { renderSweepHtml, type PowerTuningCurve, type SweepRow } from "../report/html.js";
import { round } from "../report/rounding.js";
import type { Summary } from "../report/summary.js";
import { frontierStatus, type FrontierStatus } from "./frontier.js";
import { meanInterval } from "../report/statistics.js";
import type { SweepDefinition, SweepObjective, SweepPlan } from "./plan.js";
import { replicationSeeds } from "./plan.js";
import type { VariantResult } from "./run.js";
import { valueName } from "./variants.js";
import { replicationFigures, type ReplicationBlock } from "../report/figures.js";

/*
 * The sweep's outputs are pure functions of its definition and the per-variant summaries, so a
 * single-machine sweep and a merge of shards write the same bytes.
 */

/** A run warning of a variant, once per code and path over its replications. */
export interface VariantWarning {
  code: string;
  path?: string;
  /** The message of the first replication that gave it (its figures are that run's). */
  message: string;
  /** How many of the variant's replications gave it. */
  replications: number;
}

export interface SweepVariantEntry {
  index: number;
  label: string;
  vary: Record<string, unknown>;
  /** On the cost-vs-p99 frontier: `frontierStatus` is "frontier". */
  frontier: boolean;
  /** Against the other variants, their mean cost and worst p99 known within 95 % intervals (README: the frontier rule). */
  frontierStatus: FrontierStatus;
  /** The full summary of the first replication (the scenario's seed). */
  summary: Summary;
  /** Present with more than one replication: every figure's mean and 95 % interval, and the seeds. */
  replications: ReplicationBlock | null;
  /** Only when a replication warned: a sweep without warnings keeps the bytes it always had. */
  warnings?: VariantWarning[];
}

export interface SweepDocument {
  scenario: string;
  seed: number;
  replications: number;
  vary: SweepDefinition["dimensions"];
  frontier: { x: "totalUsd"; y: "worstP99Ms" };
  /** The variant the sweep chooses, when an objective or a latency limit is given; null otherwise. */
  objective: SweepChoice | null;
  variants: SweepVariantEntry[];
}

/**
 * The sweep's answer. Only variants whose worst p99 (mean over replications) is within p99LimitMs,
 * when one is given, are candidates; `chosen` is the best candidate by the objective and
 * `cheapest` the cheapest candidate (the same under the cost objective), each null when no
 * variant is a candidate.
 */
export interface SweepChoice {
  strategy: SweepObjective;
  balancedWeight: number | null;
  p99LimitMs: number | null;
  chosen: number | null;
  cheapest: number | null;
}

/** What the outputs need to know of each variant besides its results. */
export type VariantInfo = Pick<SweepPlan["variants"][number], "index" | "label" | "vary">;

export function buildSweepDocument(
  definition: SweepDefinition,
  variants: readonly VariantInfo[],
  results: readonly VariantResult[],
): SweepDocument {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  const all = ordered.map((r) => r.summaries.map(summaryFigures));
  const means = all.map((figures) =>
    Object.fromEntries(Object.keys(figures[0]).map((key) => [key, figures.reduce((s, f) => s + f[key], 0) / figures.length])),
  );
  const estimate = (figures: Record<string, number>[], key: string, mean: number) => {
    const ci = meanInterval(figures.map((f) => f[key]));
    return { mean, low: ci.low, high: ci.high };
  };
  const status = frontierStatus(
    all.map((figures, i) => ({
      cost: estimate(figures, "totalUsd", means[i].totalUsd),
      p99: estimate(figures, "worstP99Ms", means[i].worstP99Ms),
    })),
  );
  const points = means.map((m, i) => ({ index: ordered[i].index, cost: m.totalUsd, p99: m.worstP99Ms }));
  return {
    scenario: definition.name,
    seed: definition.seed,
    replications: definition.replications,
    vary: definition.dimensions,
    frontier: { x: "totalUsd", y: "worstP99Ms" },
    objective: definition.objective === null ? null : chooseVariant(points, definition),
    variants: ordered.map((r, i) => {
      const variant = variants[r.index];
      const replications =
        definition.replications > 1 ? replicationFigures(r.summaries, replicationSeeds(definition.seed, r.summaries.length)) : null;
      const warnings = variantWarnings(r.summaries);
      return {
        index: r.index,
        label: variant.label,
        vary: variant.vary,
        frontier: status[i] === "frontier",
        frontierStatus: status[i],
        summary: r.summaries[0],
        replications,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    }),
  };
}

interface Point {
  index: number;
  cost: number;
  p99: number;
}

/**
 * Chooses a variant as AWS Lambda Power Tuning's analyzer chooses a memory size (lambda/analyzer.js,
 * docs/sources.md#aws-lambda-power-tuning): cost, the cheapest (ties: the faster); speed, the fastest
 * (ties: the cheaper); balanced with weight W, the least W × cost / max cost + (1 − W) × p99 / max p99,
 * the maxima over the candidates. Speed is the slowest function's p99 latency here, where Power
 * Tuning has the mean duration; remaining ties go to the lower variant index.
 */
function chooseVariant(points: readonly Point[], definition: SweepDefinition): SweepChoice {
  const limit = definition.p99LimitMs;
  const candidates = points.filter((p) => limit === null || p.p99 <= limit);
  const best = (better: (a: Point, b: Point) => boolean) =>
    candidates.reduce<Point | null>((chosen, p) => (chosen === null || better(p, chosen) ? p : chosen), null);
  const cheaper = (a: Point, b: Point) => a.cost < b.cost || (a.cost === b.cost && a.p99 < b.p99);
  const faster = (a: Point, b: Point) => a.p99 < b.p99 || (a.p99 === b.p99 && a.cost < b.cost);
  const weight = definition.balancedWeight ?? 0;
  const maxCost = Math.max(...candidates.map((p) => p.cost));
  const maxP99 = Math.max(...candidates.map((p) => p.p99));
  // A maximum of 0 (a free-tier run costs nothing) makes every variant equal on that axis.
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  const score = (p: Point) => weight * share(p.cost, maxCost) + (1 - weight) * share(p.p99, maxP99);
  const strategy = definition.objective ?? "cost";
  const chosen = strategy === "cost" ? best(cheaper) : strategy === "speed" ? best(faster) : best((a, b) => score(a) < score(b));
  return {
    strategy,
    balancedWeight: definition.balancedWeight,
    p99LimitMs: limit,
    chosen: chosen?.index ?? null,
    cheapest: best(cheaper)?.index ?? null,
  };
}

/** The warnings of a variant's replications, in the order they first appear, each once per code and path. */
function variantWarnings(summaries: readonly Summary[]): VariantWarning[] {
  const byKey = new Map<string, VariantWarning>();
  for (const summary of summaries) {
    for (const { code, path, message } of summary.warnings ?? []) {
      const key = JSON.stringify([code, path ?? null]);
      const seen = byKey.get(key);
      if (seen) seen.replications++;
      else byKey.set(key, { code, ...(path === undefined ? {} : { path }), message, replications: 1 });
    }
  }
  return [...byKey.values()];
}

/**
 * One line per warning code for the terminal and report.html: which variants gave it, the first
 * few by number; sweep.md has every message.
 */
export function sweepWarningLines(doc: SweepDocument): string[] {
  const variantsByCode = new Map<string, number[]>();
  for (const entry of doc.variants) {
    for (const code of new Set((entry.warnings ?? []).map((w) => w.code))) {
      variantsByCode.set(code, [...(variantsByCode.get(code) ?? []), entry.index]);
    }
  }
  return [...variantsByCode].map(([code, indices]) => {
    const shown = indices.slice(0, SHOWN_VARIANTS).map((i) => `#${i}`);
    const more = indices.length > SHOWN_VARIANTS ? `, ... ${indices.length - SHOWN_VARIANTS} more` : "";
    return `${code} in ${indices.length} of ${doc.variants.length} variants (${shown.join(", ")}${more}); see sweep.md`;
  });
}

/** Variants named in a warning line at most. */
const SHOWN_VARIANTS = 10;

/** Figures of a variant for the tables: means over replications. */
function tableFigures(entry: SweepVariantEntry): Record<string, number> {
  if (entry.replications === null) return summaryFigures(entry.summary);
  return Object.fromEntries(Object.entries(entry.replications.figures).map(([key, s]) => [key, s.mean]));
}

const cell = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** sweep.csv: one row per variant: its values, the headline figures, then every function's. */
export function sweepCsv(doc: SweepDocument): { header: string[]; rows: (string | number)[][] } {
  // Variants may differ in their optional cost lines (a `compute` case has EC2 lines, another
  // SnapStart's): every line any variant has is a column, 0 where a variant has none.
  const figureKeys = [...new Set(doc.variants.flatMap((entry) => Object.keys(tableFigures(entry))))].filter(
    (k) => k !== "totalUsd" && k !== "worstP99Ms",
  );
  const withCi = doc.replications > 1;
  const header = [
    "variant",
    "label",
    ...doc.vary.map((d) => d.path),
    "totalUsd",
    ...(withCi ? ["totalUsd.ci95Low", "totalUsd.ci95High"] : []),
    "worstP99Ms",
    ...(withCi ? ["worstP99Ms.ci95Low", "worstP99Ms.ci95High"] : []),
    "frontier",
    ...figureKeys,
  ];
  const rows = doc.variants.map((entry) => {
    const figures = tableFigures(entry);
    const ci = (key: string) => (entry.replications ? entry.replications.figures[key].ci95 : [figures[key], figures[key]]);
    return [
      entry.index,
      entry.label,
      ...doc.vary.map((d) => cell(entry.vary[d.path])),
      round(figures.totalUsd, 9),
      ...(withCi ? ci("totalUsd") : []),
      round(figures.worstP99Ms, 3),
      ...(withCi ? ci("worstP99Ms") : []),
      entry.frontier ? "yes" : entry.frontierStatus === "indistinguishable" ? "indistinguishable" : "no",
      ...figureKeys.map((k) => round(figures[k] ?? 0, 6)),
    ];
  });
  // Labels and values come from the sweep definition: user text a spreadsheet must not run.
  return { header: header.map((name) => csvCell(name)), rows: rows.map((row) => row.map((value) => csvCell(value))) };
}

const usd = (value: number) => `$${value.toFixed(value >= 100 ? 2 : 6)}`;

/** The sweep's choice and why, in words; null without an objective. */
export function objectiveLine(doc: SweepDocument): string | null {
  const objective = doc.objective;
  if (objective === null) return null;
  const within = objective.p99LimitMs === null ? "" : ` with the slowest function's p99 within ${objective.p99LimitMs} ms`;
  const chosen = doc.variants.find((v) => v.index === objective.chosen);
  if (chosen === undefined) return `No variant keeps the slowest function's p99 within ${objective.p99LimitMs} ms.`;
  const f = tableFigures(chosen);
  const what = `#${chosen.index} (${chosen.label}), ${usd(f.totalUsd)} at a p99 of ${f.worstP99Ms.toFixed(1)} ms`;
  switch (objective.strategy) {
    case "cost":
      return `Cheapest variant${within}: ${what}.`;
    case "speed":
      return `Fastest variant (lowest p99 of the slowest function)${within}: ${what}.`;
    case "balanced": {
      const w = objective.balancedWeight ?? 0;
      return (
        `Balanced choice${within}: ${what}; it minimises ${w} × cost / max cost + ${round(1 - w, 6)} × p99 / max p99` +
        `${objective.p99LimitMs === null ? "" : " over the variants within the limit"} (objective balanced, weight ${w}).`
      );
    }
  }
}

/**
 * The optional cost lines (SnapStart, tenant isolation, streaming, pollers, Managed Instances) of
 * each variant, when any variant has one: a sweep across compute types is read by where its money
 * goes. "the rest" is requests, duration and provisioned concurrency, so each row adds up to its total.
 */
function costLinesTable(doc: SweepDocument): string[] {
  const figures = doc.variants.map(tableFigures);
  const keys = OPTIONAL_COST_KEYS.filter((key) => figures.some((f) => `${TOTAL}.${key}` in f));
  if (keys.length === 0) return [];
  const lines = [
    "",
    "## Cost by line",
    "",
    `| # | variant | total cost | ${keys.map((key) => OPTIONAL_COST_LABELS[key]).join(" | ")} | the rest |`,
    `|---:|---|---:|${keys.map(() => "---:|").join("")}---:|`,
  ];
  doc.variants.forEach((entry, i) => {
    const f = figures[i];
    const line = (key: string) => f[`${TOTAL}.${key}`] ?? 0;
    const rest = f.totalUsd - keys.reduce((sum, key) => sum + line(key), 0);
    lines.push(
      `| ${entry.index} | ${escapeMarkdown(entry.label)} | ${usd(f.totalUsd)} | ${keys.map((key) => usd(line(key))).join(" | ")} | ${usd(rest)} |`,
    );
  });
  return lines;
}

/** sweep.md: the headline table for people, the frontier marked. */
export function sweepMarkdown(doc: SweepDocument): string {
  const functions = Object.keys(doc.variants[0].summary.functions);
  const lines = [
    `# lambdasim sweep: ${escapeMarkdown(doc.scenario)}`,
    "",
    `${doc.variants.length} variants of ${doc.vary.map((d) => `\`${d.path}\` (${escapeMarkdown(d.values.map((v) => cell(valueName(d, v))).join(", "))})`).join(" × ")}; ` +
      `seed ${doc.seed}, common random numbers across variants` +
      (doc.replications > 1 ? `, ${doc.replications} replications each (means; ± the 95 % confidence half-width)` : "") +
      ". ★ marks the cost-vs-p99 Pareto frontier (p99 of the slowest function)" +
      (doc.replications > 1
        ? "; ≈ marks a variant beaten only by differences within the 95 % intervals (indistinguishable); a variant clearly beaten on one axis and not clearly better on the other is off it."
        : "."),
    "",
    `| # | variant | total cost | worst p99 ms | ${functions.map((f) => `${f} p50 / p99 ms | ${f} cold starts | ${f} throttles`).join(" | ")} | frontier |`,
    `|---:|---|---:|---:|${functions.map(() => "---:|---:|---:|").join("")}:---:|`,
  ];
  // Counts are whole in one run; their means over replications are not.
  const counts = doc.replications > 1 ? 1 : 0;
  for (const entry of doc.variants) {
    const f = tableFigures(entry);
    const pm = (key: string, digits: number, money = false) => {
      const value = money ? usd(f[key]) : f[key].toFixed(digits);
      if (!entry.replications) return value;
      const [low, high] = entry.replications.figures[key].ci95;
      const half = (high - low) / 2;
      return `${value} ± ${money ? usd(half) : half.toFixed(digits)}`;
    };
    lines.push(
      `| ${entry.index} | ${escapeMarkdown(entry.label)} | ${pm("totalUsd", 6, true)} | ${pm("worstP99Ms", 1)} | ` +
        functions
          .map(
            (fn) =>
              `${f[`${fn}.p50Ms`].toFixed(1)} / ${pm(`${fn}.p99Ms`, 1)} | ${pm(`${fn}.coldStarts`, counts)} | ${pm(`${fn}.Throttles`, counts)}`,
          )
          .join(" | ") +
        ` | ${entry.frontier ? "★" : entry.frontierStatus === "indistinguishable" ? "≈" : ""} |`,
    );
  }
  lines.push(...costLinesTable(doc));
  const answer = objectiveLine(doc);
  if (answer !== null) lines.splice(4, 0, escapeMarkdown(answer), "");
  const warned = doc.variants.filter((entry) => entry.warnings !== undefined);
  if (warned.length > 0) {
    lines.push("", "## Warnings", "");
    const of = doc.replications > 1 ? (w: VariantWarning) => ` (${w.replications} of ${doc.replications} replications)` : () => "";
    for (const entry of warned) {
      for (const w of entry.warnings!) {
        lines.push(`- #${entry.index} (${escapeMarkdown(entry.label)}): \`${w.code}\`: ${escapeMarkdown(w.message)}${of(w)}`);
      }
    }
  }
  lines.push("", "Files beside this one: `sweep.json` (every variant's full summary), `sweep.csv`, `report.html`.", "");
  return lines.join("\n");
}

/**
 * The power-tuning curve when the sweep varies one function's memory and nothing else: that
 * function's cost per million invocations and mean duration at each size.
 */
function powerTuningCurve(doc: SweepDocument): PowerTuningCurve | undefined {
  if (doc.vary.length !== 1) return undefined;
  const [root, name, field] = doc.vary[0].path.split(".");
  if (root !== "functions" || field !== "memoryMb") return undefined;
  const points = doc.variants
    .map((entry) => {
      const functionName = Object.keys(entry.summary.functions).find((fn, i) => fn === name || String(i) === name);
      const f = functionName === undefined ? undefined : tableFigures(entry);
      const invocations = functionName === undefined ? 0 : entry.summary.functions[functionName].metrics.Invocations;
      const ci = (key: string): [number, number] => entry.replications?.figures[key]?.ci95 ?? [f![key], f![key]];
      return { functionName, memory: Number(entry.vary[doc.vary[0].path]), f, invocations, ci };
    })
    .filter((p) => p.functionName !== undefined && Number.isFinite(p.memory) && p.invocations > 0)
    .sort((a, b) => a.memory - b.memory);
  if (points.length < 2) return undefined;
  const functionName = points[0].functionName!;
  return {
    functionName,
    memoryMb: points.map((p) => p.memory),
    usdPerMillion: points.map((p) => round((p.f![`${functionName}.costUsd`] / p.invocations) * 1e6, 6)),
    durationMeanMs: points.map((p) => p.f![`${functionName}.durationMeanMs`]),
    ...(doc.replications > 1 && {
      // The cost's interval per million of the first replication's invocations, as the point itself is.
      usdPerMillionCi: points.map((p) => p.ci(`${functionName}.costUsd`).map((usd) => round((usd / p.invocations) * 1e6, 6))) as [
        number,
        number,
      ][],
      durationMeanMsCi: points.map((p) => p.ci(`${functionName}.durationMeanMs`)),
    }),
  };
}

/** report.html of a sweep. */
export function sweepHtml(doc: SweepDocument): string {
  const figures = doc.variants.map(tableFigures);
  // Only lines with money in them: the table must fit a screen (SnapStart's lines are 0 on Java).
  const costLines = OPTIONAL_COST_KEYS.filter((key) => figures.some((f) => (f[`${TOTAL}.${key}`] ?? 0) > 0));
  const rows: SweepRow[] = doc.variants.map((entry, i) => {
    const f = figures[i];
    const ci = entry.replications && {
      costCi: entry.replications.figures.totalUsd.ci95,
      p99Ci: entry.replications.figures.worstP99Ms.ci95,
    };
    return {
      label: `#${entry.index} ${entry.label}`,
      costUsd: f.totalUsd,
      p99Ms: f.worstP99Ms,
      onFrontier: entry.frontier,
      indistinguishable: entry.frontierStatus === "indistinguishable",
      ...ci,
      ...entry.vary,
      // A sweep across options is read by what each does to cold starts, throttles and the bill's lines.
      "cold starts": f[`${TOTAL}.coldStarts`],
      throttles: f[`${TOTAL}.Throttles`],
      ...Object.fromEntries(costLines.map((key) => [`${OPTIONAL_COST_LABELS[key]} $`, round(f[`${TOTAL}.${key}`] ?? 0, 6)])),
    };
  });
  const replicated = doc.replications > 1 ? `, means of ${doc.replications} replications` : "";
  const answer = objectiveLine(doc);
  return renderSweepHtml(rows, `lambdasim sweep: ${doc.scenario} (seed ${doc.seed}${replicated})`, powerTuningCurve(doc), [
    ...(answer === null ? [] : [answer]),
    ...sweepWarningLines(doc).map((line) => `Warning: ${line}`),
  ]);
}
