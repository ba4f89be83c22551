import type { FeatureCost } from "../cost/features.js";
import { FEATURE_COST_KEYS } from "../cost/features.js";
import { formatNumber } from "./format.js";
import type { Summary } from "./summary.js";

/*
 * The report sections for Lambda Managed Instances (capacity used, throttle reasons) and for
 * SnapStart, tenant isolation and response streaming (the counts the option lines are priced on),
 * in report.md and report.html; the dollars are columns of the cost tables
 * (src/report/costColumns.ts). Each is absent when no function uses what it describes.
 */

type FunctionEntry = [string, Summary["functions"][string]];

/** The option cost keys any function has, in a fixed order. */
function keysUsed(functions: FunctionEntry[]): (typeof FEATURE_COST_KEYS)[number][] {
  return FEATURE_COST_KEYS.filter((key) => functions.some(([, f]) => (f.cost as FeatureCost)[key] !== undefined));
}

interface Section {
  title: string;
  note: string;
  head: string[];
  body: string[][];
}

const OPTIONS_NOTE =
  "SnapStart: cache per GB-s of memory while the version is active (at least 3 hours; a whole month in the projection), restores per GB of memory; " +
  "both free on Java. Tenant isolation: each environment created, per GB of memory. Response streaming: each response's bytes past 6 MB, per GB. " +
  "Their dollars are columns of the cost tables.";

/** By function, what the option lines are priced on. */
function optionsSection(functions: FunctionEntry[]): Section | null {
  const keys = keysUsed(functions);
  if (keys.length === 0) return null;
  const body = functions
    .filter(([, f]) => keys.some((k) => (f.cost as FeatureCost)[k] !== undefined))
    .map(([name, f]) => {
      const restores = "snapStart" in f ? formatNumber((f.snapStart as { restores: number }).restores) : "–";
      return [name, restores, formatNumber(f.environments.created), `${formatNumber(f.coldStartRate * 100, 2)} %`];
    });
  return {
    title: "SnapStart, tenant isolation and response streaming",
    note: OPTIONS_NOTE,
    head: ["function", "restores", "environments created", "cold-start rate"],
    body,
  };
}

const MANAGED_NOTE =
  "The capacity each function on Lambda Managed Instances used in the measured window: instances are billed for the time they run, busy or not " +
  "(their dollars are columns of the cost tables). A throttle (429) is for CPU when an environment had a free slot but its vCPUs were saturated, " +
  "for concurrency when every environment was full; either lasts until the scaler's new environments are ready.";

/** By function on Managed Instances: instances, environments, CPU use, and why requests were throttled. */
function managedInstancesSection(functions: FunctionEntry[]): Section | null {
  const body = functions.flatMap(([name, f]) => {
    const mi = f.managedInstances;
    if (mi === undefined) return [];
    return [
      [
        name,
        mi.instanceType ?? "custom",
        formatNumber(mi.instancesMax),
        formatNumber(mi.instanceHours, 2),
        formatNumber(mi.environmentsMax),
        `${formatNumber(mi.cpuUtilizationMean * 100, 1)} %`,
        formatNumber(mi.throttleReasons.cpu),
        formatNumber(mi.throttleReasons.concurrency),
      ],
    ];
  });
  if (body.length === 0) return null;
  return {
    title: "Lambda Managed Instances",
    note: MANAGED_NOTE,
    head: [
      "function",
      "instance type",
      "instances max",
      "instance-hours",
      "environments max",
      "CPU use mean",
      "throttles: CPU",
      "throttles: concurrency",
    ],
    body,
  };
}

function sections(summary: Summary): Section[] {
  const functions = Object.entries(summary.functions) as FunctionEntry[];
  return [managedInstancesSection(functions), optionsSection(functions)].filter((section) => section !== null);
}

export function featureMarkdown(summary: Summary): string[] {
  return sections(summary).flatMap(({ title, note, head, body }) => [
    `## ${title}`,
    "",
    note,
    "",
    `| ${head.join(" | ")} |`,
    `|---|${head
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
    "",
  ]);
}

export function featureHtml(
  summary: Summary,
  escapeHtml: (text: string) => string,
  table: (heads: string[], rows: string[][]) => string,
): string[] {
  return sections(summary).flatMap(({ title, note, head, body }) => [
    `<h2>${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(note)}</p>`,
    table(
      head,
      body.map((r) => r.map(escapeHtml)),
    ),
  ]);
}
