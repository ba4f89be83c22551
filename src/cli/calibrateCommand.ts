import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { InputError } from "../common/inputError.js";
import { isFolderName, isFunctionName, NAME_RULE } from "../common/names.js";
import { loadScenarioFile } from "../scenario/read.js";
import { parseTime, TIME_HELP } from "../scenario/units.js";
import { simulate } from "../simulate.js";
import { calibrate, isTimed } from "../tooling/calibrate/calibrate.js";
import { type CheckResult, checkCalibration, simulatedFigures } from "../tooling/calibrate/check.js";
import { calibrationHtml } from "../tooling/calibrate/html.js";
import {
  calibrationDocument,
  calibrationMarkdown,
  rateScenario,
  replayScenario,
  type ScenarioNames,
} from "../tooling/calibrate/outputs.js";
import { EXIT_OK, EXIT_REGRESSION, UsageError, type CliIo } from "./io.js";
import { checkOutputFolder, createFile, writeReportFiles } from "./output.js";

export interface CalibrateArgs {
  inputs: string[];
  function?: string;
  out?: string;
  report?: string;
  check: boolean;
  scenario?: string;
  step?: string;
  quiet: boolean;
}

function single(option: string, value: unknown): string | undefined {
  if (Array.isArray(value)) throw new UsageError(`--${option}: given ${value.length} times; give it once`);
  if (value === "") throw new UsageError(`--${option}: is empty`);
  return value as string | undefined;
}

/** Copies a scratch file to `file` whole or not at all, refusing to replace one that exists. */
function placeFile(from: string, file: string): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  copyFileSync(from, temp);
  try {
    linkSync(temp, file);
  } finally {
    unlinkSync(temp);
  }
}

export async function calibrateCommand(args: CalibrateArgs, io: CliIo): Promise<number> {
  const fn = single("function", args.function);
  if (fn !== undefined && !isFunctionName(fn)) {
    throw new UsageError(
      `--function: must be 1-64 letters, digits, hyphens or underscores, got ${JSON.stringify(String(fn).slice(0, 64))}`,
    );
  }
  const stepText = single("step", args.step);
  const stepSeconds = stepText === undefined ? 600 : parseTime(stepText);
  if (stepSeconds === undefined || !(stepSeconds >= 1)) throw new UsageError(`--step: expected ${TIME_HELP}, at least 1s`);
  const out = single("out", args.out) ?? "calibrated.yaml";
  const base = basename(out).replace(/\.(ya?ml|json)$/i, "");
  if (!isFolderName(base))
    throw new UsageError(`--out: the scenario's name would be ${JSON.stringify(String(base).slice(0, 64))}; it must be ${NAME_RULE}`);
  const otherScenario = single("scenario", args.scenario);
  if (otherScenario !== undefined && !args.check) throw new UsageError("--scenario: only with --check, which simulates it");
  const reportDir = checkOutputFolder(single("report", args.report), () => join("reports", `${base}-calibration`));
  const outDir = dirname(out);
  const names: ScenarioNames = { name: base, traceFile: (name) => `${base}.${name}.trace.csv`, inputs: args.inputs };
  const rateFile = join(outDir, `${base}.rate.yaml`);

  const scratch = mkdtempSync(join(tmpdir(), "lambdasim-calibrate-"));
  try {
    const calibration = await calibrate({ inputs: args.inputs, function: fn, stepSeconds, scratch });
    if (!isTimed(calibration)) {
      // Bare REPORT lines: the fitted figures are worth having, a scenario and a check need arrival times.
      if (args.check) {
        throw new InputError([
          {
            path: "--check",
            message:
              "no REPORT record has a timestamp, so there is no window to simulate the model over; drop --check for the fitted distributions, or export the lines with their timestamps (aws logs tail, filter-log-events, a Logs Insights CSV)",
          },
        ]);
      }
      await writeReportFiles(reportDir, [
        { name: "calibration.json", content: `${JSON.stringify(calibrationDocument(calibration, undefined), null, 2)}\n` },
        { name: "calibration.md", content: calibrationMarkdown(calibration, undefined, null) },
        { name: "calibration.html", content: calibrationHtml(calibration, undefined) },
      ]);
      for (const warning of calibration.warnings) io.err(`warning: ${warning}\n`);
      if (!args.quiet) io.out(`wrote ${join(reportDir, "calibration.{json,md,html}")} (no scenario: the records have no timestamps)\n`);
      return EXIT_OK;
    }
    const traces = calibration.functions.map((f) => ({ from: f.timeline.traceFile, to: join(outDir, names.traceFile(f.name)) }));
    const taken = [out, rateFile, ...traces.map((t) => t.to)].filter((file) => existsSync(file));
    if (taken.length > 0) {
      throw new InputError(
        taken.map((file) => ({ path: file, message: "already exists; calibrate never overwrites: choose another --out or remove it" })),
      );
    }
    const replay = replayScenario(calibration, names);
    let check: CheckResult | undefined;
    if (args.check) {
      // The calibrated scenario is simulated from the scratch folder, where its traces already are.
      const scenarioFile = otherScenario ?? join(scratch, "check.yaml");
      if (otherScenario === undefined)
        writeFileSync(scenarioFile, replayScenario(calibration, { ...names, traceFile: (name) => `${name}.trace.csv` }));
      const result = simulate(loadScenarioFile(scenarioFile, { allowLarge: true }));
      check = {
        ...checkCalibration(Object.fromEntries(calibration.functions.map((f) => [f.name, f.timeline.observed])), simulatedFigures(result)),
        ...(otherScenario === undefined ? {} : { scenario: otherScenario }),
      };
    }
    const document = calibrationDocument(calibration, check);
    const written: string[] = [];
    try {
      if (outDir !== "") mkdirSync(outDir, { recursive: true });
      for (const trace of traces) {
        placeFile(trace.from, trace.to);
        written.push(trace.to);
      }
      await createFile(out, replay);
      written.push(out);
      await createFile(rateFile, rateScenario(calibration, names));
      written.push(rateFile);
      await writeReportFiles(reportDir, [
        { name: "calibration.json", content: `${JSON.stringify(document, null, 2)}\n` },
        { name: "calibration.md", content: calibrationMarkdown(calibration, check, { scenario: out, rate: rateFile }) },
        { name: "calibration.html", content: calibrationHtml(calibration, check) },
      ]);
    } catch (error) {
      for (const file of written) rmSync(file, { force: true });
      throw error;
    }
    for (const warning of calibration.warnings) io.err(`warning: ${warning}\n`);
    if (!args.quiet) {
      io.out(`wrote ${[...written, join(reportDir, "calibration.{json,md,html}")].join(", ")}\n`);
    }
    if (check !== undefined) {
      for (const [name, rows] of Object.entries(check.functions)) {
        for (const r of rows.filter((row) => row.verdict === "fail")) {
          io.err(
            `check: ${name}: ${r.figure}: observed ${Number(r.observed.toPrecision(6))}, simulated ${Number(r.simulated.toPrecision(6))}, error ${(r.error * 100).toFixed(2)} % > tolerance ${(r.tolerance * 100).toFixed(2)} %\n`,
          );
        }
      }
      if (!check.passed) return EXIT_REGRESSION;
      if (!args.quiet) io.out("check: every figure within its tolerance\n");
    }
    return EXIT_OK;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
