// Default cold-start Init durations per Lambda runtime, taken from real measurements
// (maxday/lambda-perf, see runtimeInitData.ts for attribution and how ids are derived).
import { closest } from "../common/editDistance.js";
import { RUNTIME_INIT_ROWS } from "./runtimeInitData.js";

export type Architecture = "x86_64" | "arm64";
export type PackageType = "zip" | "image";

export interface RuntimeInitRow {
  runtime: string;
  package: PackageType;
  arch: Architecture;
  memoryMb: number;
  samples: number;
  p10Ms: number;
  p50Ms: number;
  p90Ms: number;
  meanMs: number;
}

/** Lognormal Init duration: `median` in seconds, `sigma` of the underlying normal. */
export interface InitDistribution {
  median: number;
  sigma: number;
  source: string;
}

// A bare custom-runtime id says nothing about the language inside; Go is the most common
// language on custom runtimes, so its figures stand in for them.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["provided.al2023", "provided.al2023/go"],
  ["provided.al2", "provided.al2/go"],
]);

/** z-score of the 90th percentile of the standard normal. */
const Z_P90 = 1.2815515655446004;

const ROWS_BY_RUNTIME: ReadonlyMap<string, readonly RuntimeInitRow[]> = (() => {
  const byRuntime = new Map<string, RuntimeInitRow[]>();
  for (const row of RUNTIME_INIT_ROWS) {
    const rows = byRuntime.get(row.runtime) ?? [];
    rows.push(row);
    byRuntime.set(row.runtime, rows);
  }
  for (const rows of byRuntime.values()) rows.sort((a, b) => a.memoryMb - b.memoryMb);
  return byRuntime;
})();

export const KNOWN_RUNTIMES: readonly string[] = Object.freeze([...ROWS_BY_RUNTIME.keys(), ...ALIASES.keys()].sort());

export function isCustomRuntime(runtime: string): boolean {
  return runtime.startsWith("provided.");
}

/**
 * Lognormal fitted to the measured p50 and p90 of the matching lambda-perf row. Memory picks the
 * largest measured size not above `memoryMb` (the smallest if all are above): CPU grows with
 * memory, so the row at or below is the conservative choice.
 * A package/architecture combination that was not measured falls back to the other package type,
 * then to the other architecture; `source` says which row was used.
 */
export function defaultInitDistribution(runtime: string, arch: Architecture, pkg: PackageType, memoryMb: number): InitDistribution {
  const rows = ROWS_BY_RUNTIME.get(ALIASES.get(runtime) ?? runtime);
  if (!rows) {
    throw new Error(`unknown runtime "${runtime}"; known runtimes: ${KNOWN_RUNTIMES.join(", ")}`);
  }
  if (!(Number.isFinite(memoryMb) && memoryMb > 0)) {
    throw new RangeError(`memoryMb must be a positive number, got ${memoryMb}`);
  }
  const otherPkg: PackageType = pkg === "zip" ? "image" : "zip";
  const otherArch: Architecture = arch === "x86_64" ? "arm64" : "x86_64";
  const preferences: ReadonlyArray<readonly [PackageType, Architecture]> = [
    [pkg, arch],
    [otherPkg, arch],
    [pkg, otherArch],
    [otherPkg, otherArch],
  ];
  // The four preferences cover every combination and every runtime has rows, so one matches.
  const [p, a] = preferences.find(([p, a]) => rows.some((r) => r.package === p && r.arch === a))!;
  const matching = rows.filter((r) => r.package === p && r.arch === a);
  const row = matching.filter((r) => r.memoryMb <= memoryMb).at(-1) ?? matching[0];
  const substituted = [p !== pkg ? p : "", a !== arch ? a : ""].filter((s) => s !== "");
  const fallback = substituted.length > 0 ? ` (fell back to ${substituted.join(" ")})` : "";
  return {
    median: row.p50Ms / 1000,
    sigma: Math.log(row.p90Ms / row.p50Ms) / Z_P90,
    source: `lambda-perf ${row.runtime} ${row.package} ${row.arch} ${row.memoryMb} MB${fallback}`,
  };
}

/** Closest known runtime id, for "did you mean" messages; undefined when nothing is close. */
export function nearestRuntime(name: string): string | undefined {
  return closest(name.trim(), KNOWN_RUNTIMES);
}
