import type { Calibration, FunctionDetail, TimedCalibration } from "./calibrate.js";
import { type CheckResult, checkSummary } from "./check.js";

/*
 * What calibrate writes: the replay scenario, its rate-profile twin and calibration.json and
 * calibration.md. Scenarios are written as text, not through a YAML library, so that each
 * calibrated figure carries a comment saying where it came from.
 */

/** Seconds with six significant digits, the way a scenario's times are written. */
function seconds(ms: number): string {
  return String(Number((ms / 1000).toPrecision(6)));
}

function list(values: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 12)
    lines.push(
      values
        .slice(i, i + 12)
        .map(seconds)
        .join(", "),
    );
  return `[\n          ${lines.join(",\n          ")},\n        ]`;
}

export interface ScenarioNames {
  /** Scenario name (the --out file's base name). */
  name: string;
  /** Each function's trace file name, relative to the scenario. */
  traceFile: (fn: string) => string;
  inputs: readonly string[];
}

function timeoutLines(f: FunctionDetail): string[] {
  const c = f.calibration;
  if (c.timeoutSeconds !== null) {
    return [`    timeout: ${c.timeoutSeconds}s   # ${Math.round(c.timeoutRate * c.invocations)} invocation(s) timed out at this`];
  }
  const longest = Math.ceil(c.duration.maxMs / 1000 + 1);
  return longest > 3
    ? [
        `    timeout: ${longest}s   # no invocation timed out; the longest ran ${seconds(c.duration.maxMs)} s: set your function's own timeout`,
      ]
    : [`    # timeout: 3s (default): no invocation timed out, the longest ran ${seconds(c.duration.maxMs)} s`];
}

function functionBlock(f: FunctionDetail): string[] {
  const c = f.calibration;
  const d = c.duration;
  const lines = [
    `  - name: ${f.name}`,
    `    memoryMb: ${c.memoryMb}`,
    ...timeoutLines(f),
    ...(c.prewarmedEnvironments > 0
      ? [
          `    prewarmedEnvironments: ${c.prewarmedEnvironments}   # log streams whose first invocation in the window was warm: alive before it`,
        ]
      : []),
    `    errorRate: ${Number(c.errorRate.toPrecision(6))}   # ${Math.round(c.errorRate * c.invocations)} of ${c.invocations} REPORTs with Status: error`,
    `    # handler duration: the observed quantiles (p50 ${seconds(d.p50Ms)} s, p99 ${seconds(d.p99Ms)} s)${
      d.best === null || d.fits === null ? "" : `; best family ${d.best}, KS distance ${d.fits[d.best].ks.toFixed(4)}`
    }`,
    `    duration:`,
    `      empirical: ${list(f.durationTable)}`,
  ];
  if (f.initTable.length > 0 && c.init !== null) {
    const i = c.init;
    lines.push(
      `    # init: the ${c.coldStarts} observed Init Durations' quantiles (p50 ${seconds(i.p50Ms)} s, p99 ${seconds(i.p99Ms)} s)`,
      "    init:",
      `      empirical: ${list(f.initTable)}`,
    );
  }
  return lines;
}

function header(calibration: TimedCalibration, names: ScenarioNames, what: string): string[] {
  return [
    `# Calibrated by lambdasim calibrate from ${names.inputs.map((i) => i.replace(/^.*[\\/]/, "")).join(", ")}`,
    `# over ${calibration.window.start} to ${calibration.window.end} (${calibration.window.seconds.toFixed(3)} s); ${what}.`,
  ];
}

function platformBlock(calibration: Calibration): string[] {
  const estimated = calibration.functions.map((f) => f.calibration.keepAlive).filter((k) => k.status === "estimated");
  if (estimated.length === 0) {
    return ["# platform.keepAlive stays at its default: the logs do not bound it (calibration.md says why)."];
  }
  // One platform keep-alive for the account: the estimate from the function with the most evidence.
  const best = estimated.reduce((a, b) =>
    b.coldStartsWithIdleEnvironment + b.warmGaps > a.coldStartsWithIdleEnvironment + a.warmGaps ? b : a,
  );
  return ["platform:", `  keepAlive: ${best.seconds}s   # ${best.evidence}`];
}

/** The replay scenario: the functions as calibrated, each driven by its own trace of start times. */
export function replayScenario(calibration: TimedCalibration, names: ScenarioNames): string {
  return `${[
    ...header(calibration, names, "each function replays its invocations' start times"),
    `# The same functions with the rate profile instead: ${names.name}.rate.yaml`,
    `name: ${names.name}`,
    "seed: 1",
    `duration: ${calibration.window.seconds.toFixed(3)}s`,
    ...platformBlock(calibration),
    "functions:",
    ...calibration.functions.flatMap(functionBlock),
    "workload:",
    ...calibration.functions.flatMap((f) => [
      `  - function: ${f.name}`,
      "    arrivals:",
      `      trace: { file: ${names.traceFile(f.name)}, format: timestamps, timeUnit: s, startAt: 0 }`,
    ]),
  ].join("\n")}\n`;
}

/** The what-if scenario: the same functions, driven by Poisson arrivals at each step's observed rate. */
export function rateScenario(calibration: TimedCalibration, names: ScenarioNames): string {
  return `${[
    ...header(
      calibration,
      names,
      `Poisson arrivals at the observed rate of each ${calibration.functions[0].calibration.rate!.stepSeconds} s step`,
    ),
    "# Scale the rates for a what-if at another traffic level.",
    `name: ${names.name}-rate`,
    "seed: 1",
    `duration: ${calibration.window.seconds.toFixed(3)}s`,
    ...platformBlock(calibration),
    "functions:",
    ...calibration.functions.flatMap(functionBlock),
    "workload:",
    ...calibration.functions.flatMap((f) => [
      `  - function: ${f.name}`,
      "    arrivals:",
      "      steps:",
      ...f.calibration.rate!.steps.map((s) => `        - { at: ${s.atSeconds}, rate: ${Number(s.perSecond.toPrecision(6))} }`),
    ]),
  ].join("\n")}\n`;
}

export interface CalibrationDocument {
  window: Calibration["window"];
  inputs: Calibration["inputs"];
  warnings: string[];
  functions: Record<string, FunctionDetail["calibration"]>;
  check?: CheckResult;
}

export function calibrationDocument(calibration: Calibration, check: CheckResult | undefined): CalibrationDocument {
  return {
    window: calibration.window,
    inputs: calibration.inputs,
    warnings: calibration.warnings,
    functions: Object.fromEntries(calibration.functions.map((f) => [f.name, f.calibration])),
    ...(check === undefined ? {} : { check }),
  };
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const pct = (value: number): string => `${(value * 100).toFixed(2)} %`;

function fitRows(label: string, fit: FunctionDetail["calibration"]["duration"]): string[] {
  const rows = [
    `| ${label} | ${fit.count} | ${ms(fit.p50Ms)} | ${ms(fit.p90Ms)} | ${ms(fit.p99Ms)} | ${ms(fit.maxMs)} | ${
      fit.fits === null
        ? "— (too few values or no spread)"
        : (["lognormal", "gamma", "weibull"] as const)
            .map((f) => `${f} ${fit.fits![f].ks.toFixed(4)}${f === fit.best ? " (best)" : ""}`)
            .join(", ")
    } | ${fit.ksCritical.toFixed(4)} |`,
  ];
  return rows;
}

export function calibrationMarkdown(
  calibration: Calibration,
  check: CheckResult | undefined,
  files: { scenario: string; rate: string } | null,
): string {
  const w = calibration.window;
  const out = [
    "# Calibration",
    "",
    ...(w === null || files === null
      ? [
          "No timestamps in the records: no window, trace, rate profile, keep-alive or scenario (see Warnings).",
          "The calibrated functions, ready for a scenario with your own `workload`, are at the end.",
        ]
      : [
          `Window: ${w.start} to ${w.end} (${w.seconds.toFixed(1)} s).`,
          `Scenario: \`${files.scenario}\` (trace replay); what-ifs: \`${files.rate}\` (rate profile).`,
        ]),
    "",
    "| input | format | records |",
    "|---|---|---:|",
    ...calibration.inputs.map((i) => `| ${i.file} | ${i.format} | ${i.records} |`),
    "",
  ];
  if (calibration.warnings.length > 0) out.push("## Warnings", "", ...calibration.warnings.map((w) => `- ${w}`), "");
  for (const f of calibration.functions) {
    const c = f.calibration;
    const k = c.keepAlive;
    out.push(
      `## ${f.name}`,
      "",
      `${c.invocations} invocations at ${c.memoryMb} MB, ${c.coldStarts} cold starts, ${c.environments} environments (log streams); ` +
        `errors ${pct(c.errorRate)}, timeouts ${pct(c.timeoutRate)}${c.timeoutSeconds === null ? "" : ` (timeout ${c.timeoutSeconds} s)`}.`,
      "",
      "| times (ms) | n | p50 | p90 | p99 | max | KS distance of the fits | KS 5 % critical |",
      "|---|---:|---:|---:|---:|---:|---|---:|",
      ...fitRows("handler duration", c.duration),
      ...(c.init === null ? [] : fitRows("init duration", c.init)),
      "",
      `Keep-alive: ${k.status === "estimated" ? `**${k.seconds} s**` : "not estimated"}: ${k.evidence}.`,
      "",
    );
    if (c.rate !== null) {
      const rates = c.rate.steps.map((s) => s.perSecond);
      out.push(
        `Rate profile: ${rates.length} step(s) of ${c.rate.stepSeconds} s, from ${Math.min(...rates).toPrecision(3)} to ${Math.max(...rates).toPrecision(3)} per second.`,
        "",
      );
    }
    if (c.metrics !== undefined) {
      out.push(
        `CloudWatch metrics over the window: ${Object.entries(c.metrics)
          .map(([key, value]) => `${key} ${Number(value.toPrecision(6))}`)
          .join(", ")}.`,
        "",
      );
    }
    const rows = check?.functions[f.name];
    if (rows !== undefined) {
      out.push(
        "| check | observed | simulated | error | tolerance | verdict |",
        "|---|---:|---:|---:|---:|---|",
        ...rows.map(
          (r) =>
            `| ${r.figure} | ${Number(r.observed.toPrecision(6))} | ${Number(r.simulated.toPrecision(6))} | ${pct(r.error)} | ${pct(r.tolerance)} | ${r.verdict === "pass" ? "pass" : "**fail**"} |`,
        ),
        "",
      );
    }
  }
  if (w === null) {
    out.push(
      "## The calibrated functions",
      "",
      "Paste into a scenario and add a `workload` (the records do not say when the invocations came).",
      "",
      "```yaml",
      "functions:",
      ...calibration.functions.flatMap(functionBlock),
      "```",
      "",
    );
  }
  if (check !== undefined) out.push(`Check of ${check.passed ? checkSummary(check) : `**${checkSummary(check)}**`}.`, "");
  return out.join("\n");
}
