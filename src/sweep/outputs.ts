import { summaryFigures } from "../report/figures.js";
import { csvCell, escapeMarkdown } from "../report/format.js";
import { renderSweepHtml, type PowerTuningCurve, type SweepRow } from "../report/html.js";
import { round } from "../report/rounding.js";
import type { Summary } from "../report/summary.js";
import { paretoFrontier } from "./frontier.js";
import type { SweepDefinition, SweepPlan } from "./plan.js";
import { replicationSeeds } from "./plan.js";
import type { VariantResult } from "./run.js";
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
  /** On the cost-vs-p99 Pareto frontier (mean figures over replications). */
  frontier: boolean;
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
  /** With a latency objective: the cheapest variant whose worst p99 (mean) is within it, or null if none is. */
  objective: { p99LimitMs: number; cheapest: number | null } | null;
  variants: SweepVariantEntry[];
}

/** What the outputs need to know of each variant besides its results. */
export type VariantInfo = Pick<SweepPlan["variants"][number], "index" | "label" | "vary">;

export function buildSweepDocument(
  definition: SweepDefinition,
  variants: readonly VariantInfo[],
  results: readonly VariantResult[],
): SweepDocument {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  const means = ordered.map((r) => {
    const all = r.summaries.map(summaryFigures);
    return Object.fromEntries(Object.keys(all[0]).map((key) => [key, all.reduce((s, f) => s + f[key], 0) / all.length]));
  });
  const onFrontier = paretoFrontier(means.map((m) => ({ x: m.totalUsd, y: m.worstP99Ms })));
  const limit = definition.p99LimitMs;
  let cheapest: number | null = null;
  if (limit !== null) {
    means.forEach((m, i) => {
      if (m.worstP99Ms <= limit && (cheapest === null || m.totalUsd < means[cheapest].totalUsd)) cheapest = i;
    });
  }
  return {
    scenario: definition.name,
    seed: definition.seed,
    replications: definition.replications,
    vary: definition.dimensions,
    frontier: { x: "totalUsd", y: "worstP99Ms" },
    objective: limit === null ? null : { p99LimitMs: limit, cheapest: cheapest === null ? null : ordered[cheapest].index },
    variants: ordered.map((r, i) => {
      const variant = variants[r.index];
      const replications =
        definition.replications > 1 ? replicationFigures(r.summaries, replicationSeeds(definition.seed, r.summaries.length)) : null;
      const warnings = variantWarnings(r.summaries);
      return {
        index: r.index,
        label: variant.label,
        vary: variant.vary,
        frontier: onFrontier[i],
        summary: r.summaries[0],
        replications,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    }),
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
  const figureKeys = Object.keys(tableFigures(doc.variants[0])).filter((k) => k !== "totalUsd" && k !== "worstP99Ms");
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
      entry.frontier ? "yes" : "no",
      ...figureKeys.map((k) => round(figures[k], 6)),
    ];
  });
  // Labels and values come from the sweep definition: user text a spreadsheet must not run.
  return { header: header.map((name) => csvCell(name)), rows: rows.map((row) => row.map((value) => csvCell(value))) };
}

const usd = (value: number) => `$${value.toFixed(value >= 100 ? 2 : 6)}`;

/** The answer to the sweep's latency objective, in words; null without one. */
export function objectiveLine(doc: SweepDocument): string | null {
  if (doc.objective === null) return null;
  const limit = `${doc.objective.p99LimitMs} ms`;
  const best = doc.variants.find((v) => v.index === doc.objective!.cheapest);
  if (best === undefined) return `No variant keeps the slowest function's p99 within ${limit}.`;
  const f = tableFigures(best);
  return `Cheapest variant with the slowest function's p99 within ${limit}: #${best.index} (${best.label}), ${usd(f.totalUsd)} at a p99 of ${f.worstP99Ms.toFixed(1)} ms.`;
}

/** sweep.md: the headline table for people, the frontier marked. */
export function sweepMarkdown(doc: SweepDocument): string {
  const functions = Object.keys(doc.variants[0].summary.functions);
  const lines = [
    `# lambdasim sweep: ${escapeMarkdown(doc.scenario)}`,
    "",
    `${doc.variants.length} variants of ${doc.vary.map((d) => `\`${d.path}\` (${escapeMarkdown(d.values.map(cell).join(", "))})`).join(" × ")}; ` +
      `seed ${doc.seed}, common random numbers across variants` +
      (doc.replications > 1 ? `, ${doc.replications} replications each (means; ± the 95 % confidence half-width)` : "") +
      ". ★ marks the cost-vs-p99 Pareto frontier (p99 of the slowest function).",
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
        ` | ${entry.frontier ? "★" : ""} |`,
    );
  }
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
      return { functionName, memory: Number(entry.vary[doc.vary[0].path]), f, invocations };
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
  };
}

/** report.html of a sweep. */
export function sweepHtml(doc: SweepDocument): string {
  const rows: SweepRow[] = doc.variants.map((entry) => {
    const f = tableFigures(entry);
    return { label: `#${entry.index} ${entry.label}`, costUsd: f.totalUsd, p99Ms: f.worstP99Ms, onFrontier: entry.frontier, ...entry.vary };
  });
  const replicated = doc.replications > 1 ? `, means of ${doc.replications} replications` : "";
  const answer = objectiveLine(doc);
  return renderSweepHtml(rows, `lambdasim sweep: ${doc.scenario} (seed ${doc.seed}${replicated})`, powerTuningCurve(doc), [
    ...(answer === null ? [] : [answer]),
    ...sweepWarningLines(doc).map((line) => `Warning: ${line}`),
  ]);
}
