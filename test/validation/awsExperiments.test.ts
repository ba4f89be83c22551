import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AWS_2020_PROTOCOL,
  combineReplications,
  compareExperiments,
  experimentScenario,
  headlineSettings,
  meanAbsolutePercentError,
  parseExperimentsCsv,
  simulateExperiment,
  windowFigures,
  type ExperimentPrediction,
  type ExperimentRow,
} from "../../validation/awsExperiments.js";
import { parseCsv } from "../../validation/csv.js";
import { fitHandlerSpread, parseRawLog, rawLogExperiment, studyFigures, type RawRequest } from "../../validation/rawLogs.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

// A copy of the study's summary and its three smallest raw logs lives in test/fixtures, so this
// check runs on any clone; the report uses all eleven logs from ../shared/data.
const DATA = fileURLToPath(new URL("../fixtures/aws-lambda-2020/", import.meta.url));

describe("CSV reading", () => {
  it("keeps quoted fields holding commas (the raw logs' cpu_info and uptime columns)", () => {
    const table = parseCsv('i,cpu,uptime\r\n0,"2,Intel(R) Xeon(R)","263.71,526.29"\r\n\r\n');
    expect(table.header).toEqual(["i", "cpu", "uptime"]);
    expect(table.rows).toEqual([["0", "2,Intel(R) Xeon(R)", "263.71,526.29"]]);
    expect(() => parseCsv('a,b\n1,"open')).toThrow();
  });

  it("parses experiments.csv rows and rejects a non-number", () => {
    const text = [
      ",ArrivalRate,ServiceTimeWarm,ServiceTimeCold,IdleMinutesBeforeKill,AverageInstanceCount,AverageUtilization,ColdStartProbability,ColdStartProbabilitySE,AverageRunningInstances,AverageIdleInstances",
      "experiment_x,0.5,2000,2200,10.0,5.5,0.17,0.002,0.0001,1.0,4.5",
    ].join("\n");
    expect(parseExperimentsCsv(text)).toEqual([
      {
        id: "experiment_x",
        arrivalRate: 0.5,
        serviceTimeWarmMs: 2000,
        serviceTimeColdMs: 2200,
        idleMinutesBeforeKill: 10,
        averageInstanceCount: 5.5,
        averageUtilization: 0.17,
        coldStartProbability: 0.002,
        coldStartProbabilitySE: 0.0001,
        averageRunningInstances: 1,
        averageIdleInstances: 4.5,
      },
    ]);
    expect(() => parseExperimentsCsv(text.replace("0.002,", "n/a,"))).toThrow(/ColdStartProbability: expected a number/);
  });
});

describe("fitHandlerSpread", () => {
  // Deterministic lognormal sample (inverse CDF on a regular grid), so the expected value is exact.
  function synthetic(sigma: number, n: number, mean: number): RawRequest[] {
    const out: RawRequest[] = [];
    for (let i = 0; i < n; i++) {
      const z = probit((i + 0.5) / n);
      out.push({ isCold: false, instId: "a", clientStart: i, clientEnd: i + 1, clientElapsed: mean * Math.exp(sigma * z) });
    }
    return out;
  }

  it("recovers the log-space sigma, ignores cold requests, per-log levels and a gross outlier", () => {
    const a = synthetic(0.02, 4000, 1.95);
    const b = synthetic(0.02, 4000, 2.05);
    b.push({ isCold: false, instId: "b", clientStart: 0, clientEnd: 12, clientElapsed: 11.9 });
    b.push({ isCold: true, instId: "b", clientStart: 0, clientEnd: 9, clientElapsed: 9 });
    const fit = fitHandlerSpread([a, b]);
    // The p1-p99 estimate of an exact normal grid is exact up to the grid's discreteness (<1 %).
    expect(fit.sigma).toBeGreaterThan(0.0198);
    expect(fit.sigma).toBeLessThan(0.0202);
    expect(fit.samples).toBe(8001);
    // The moment estimate is visibly pulled up by the one outlier: why the robust one is used.
    expect(fit.sigmaMoment).toBeGreaterThan(0.025);
  });
});

/** The standard normal quantile, by bisection on the CDF (test helper). */
function probit(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is 1e-7 accurate: plenty for a test grid.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

describe("combineReplications and MAPE", () => {
  it("pools P(cold) as a ratio and gives standard errors", () => {
    const p = combineReplications("e", [
      { invocations: 100, coldStarts: 10, environments: 2, busy: 0.5, maxConcurrency: 3 },
      { invocations: 300, coldStarts: 10, environments: 4, busy: 0.5, maxConcurrency: 5 },
    ]);
    expect(p.coldStartProbability.mean).toBeCloseTo(20 / 400, 12);
    expect(p.environments).toEqual({ mean: 3, se: 1 });
    expect(p.idle.mean).toBe(2.5);
    expect(p.maxConcurrency).toBe(5);
    expect(
      meanAbsolutePercentError([
        { predicted: 1.1, measured: 1 },
        { predicted: 1.5, measured: 2 },
      ]),
    ).toBeCloseTo(17.5, 10);
  });

  it("builds a valid scenario from a row: Poisson at the rate, init = cold - warm, MRU, 128 MB", () => {
    const row = { id: "experiment_x", arrivalRate: 0.25, serviceTimeWarmMs: 2000, serviceTimeColdMs: 2300 } as ExperimentRow;
    const input = experimentScenario(row, headlineSettings(0.02), AWS_2020_PROTOCOL, 7);
    const scenario = resolveScenario(input);
    expect(scenario.platform).toMatchObject({ keepAlive: 600, maxLifetime: 7400, lifetimeJitter: 0.1, reuse: "mru" });
    expect(scenario.functions[0].init).toEqual({ kind: "constant", value: 0.3 });
    expect(scenario.functions[0].memoryMb).toBe(128);
    expect(scenario.duration).toBe(28 * 3600);
    expect(input.workload).toEqual([{ function: "fn", arrivals: { poisson: { rate: 0.25 } } }]);
  });
});

describe("windowFigures", () => {
  it("reads the run's own totals and time averages back from the 1-minute series when the windows cover the run", () => {
    const row = { id: "experiment_x", arrivalRate: 0.2, serviceTimeWarmMs: 2000, serviceTimeColdMs: 2300 } as ExperimentRow;
    const result = simulate(resolveScenario(experimentScenario(row, headlineSettings(0.02), AWS_2020_PROTOCOL, 3)));
    const span = AWS_2020_PROTOCOL.runSeconds;
    const whole = windowFigures(result, { runSeconds: span, coldWindowStart: 0, levelWindowStart: 0 });
    const m = result.functions[0].metrics;
    expect(whole.invocations).toBe(m.invocations);
    expect(whole.coldStarts).toBe(m.coldStarts);
    expect(m.coldStarts).toBeGreaterThan(20);
    // The run's areas also hold the drain after the last arrival (a few seconds): < 1e-3 here.
    expect(Math.abs(whole.environments - m.aliveArea / span)).toBeLessThan(1e-3);
    expect(Math.abs(whole.busy - m.busyArea / span)).toBeLessThan(1e-3);
    // A later window drops the start-up, when environments are still being created.
    const late = windowFigures(result, AWS_2020_PROTOCOL);
    expect(late.invocations).toBeLessThan(whole.invocations);
    expect(late.coldStarts).toBeLessThan(whole.coldStarts);
  });
});

describe("the AWS 2020 experiments (test/fixtures/aws-lambda-2020)", () => {
  const rows = parseExperimentsCsv(readFileSync(`${DATA}experiments.csv`, "utf8"));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const logFiles = readdirSync(`${DATA}raw`)
    .filter((f) => f.endsWith(".csv"))
    .sort();
  const readLog = (file: string) => parseRawLog(readFileSync(`${DATA}raw/${file}`, "utf8"));

  it("has the 20 experiments", () => {
    expect(rows).toHaveLength(20);
    // experiment_13 copied by hand from the file.
    expect(byId.get("experiment_13")).toMatchObject({
      arrivalRate: 0.0018631367641819018,
      coldStartProbability: 0.34298826173826175,
      averageInstanceCount: 0.6741935483870968,
    });
  });

  // The reconstruction of the study's definitions (blocks, windows, "alive until 10 min after the
  // last request") must give back the published numbers digit for digit; anything else would
  // mean the simulator is read over different windows than the measurement. Two small logs keep
  // it fast; the report checks all 11.
  it.each(["2020-05-28", "2020-05-26"])("recomputes experiments.csv from the raw log of %s", (date) => {
    const file = logFiles.find((f) => f.includes(date))!;
    const row = byId.get(rawLogExperiment(file)!)!;
    const f = studyFigures(readLog(file));
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-9);
    close(f.arrivalRate, row.arrivalRate);
    close(f.serviceTimeWarmMs, row.serviceTimeWarmMs);
    close(f.serviceTimeColdMs, row.serviceTimeColdMs);
    close(f.coldStartProbability, row.coldStartProbability);
    close(f.coldStartProbabilitySE, row.coldStartProbabilitySE);
    close(f.averageInstanceCount, row.averageInstanceCount);
    close(f.averageRunningInstances, row.averageRunningInstances);
    expect(f.averageInstanceCountWithoutLingering).toBeLessThanOrEqual(f.averageInstanceCount);
  });

  /*
   * The simulator beside the measurements, on a subset: the five highest rates (many cold starts
   * per run: few replications needed) and the two lowest (a few hundred requests per 28 h run:
   * many replications). Same settings as the headline report; fewer replications.
   *
   * Tolerances:
   * - P(cold): |sim - measured| <= 3 SE_meas + 3 SE_sim. SE_meas is the study's (10-block) SE; the
   *   simulator's own 1-run SD agrees with it (median ratio ~1 in the report), so it is a fair
   *   scale. 3 SE each side: a correct model fails this less than ~1 % of the time per experiment.
   * - Environments: the study gives no SE. The simulator's 1-run SD of the same 21 h average
   *   estimates it (it is the spread one real experiment would show), so the band is
   *   3 SD_run + 3 SE_sim, widened on one side only by the study's definition: the measured count
   *   includes 10-minute tails of environments AWS had already recycled, up to 4.3 % of the
   *   count in the raw logs (report, "What the raw logs show"); the simulator does not count them,
   *   so it may sit up to 5 % of the measured value lower.
   */
  const subsetIds = [...rows]
    .sort((a, b) => b.arrivalRate - a.arrivalRate)
    .slice(0, 5)
    .map((r) => r.id);
  const lowIds = [...rows]
    .sort((a, b) => a.arrivalRate - b.arrivalRate)
    .slice(0, 2)
    .map((r) => r.id);
  const LINGERING_ALLOWANCE = 0.05;
  let predictions: Map<string, ExperimentPrediction> | undefined;
  const predict = () => {
    if (predictions) return predictions;
    const sigma = fitHandlerSpread(logFiles.map(readLog)).sigma;
    const settings = headlineSettings(sigma);
    predictions = new Map();
    for (const id of subsetIds)
      predictions.set(id, simulateExperiment(byId.get(id)!, settings, AWS_2020_PROTOCOL, { replications: 16, firstSeed: 1 }));
    for (const id of lowIds)
      predictions.set(id, simulateExperiment(byId.get(id)!, settings, AWS_2020_PROTOCOL, { replications: 1500, firstSeed: 1 }));
    return predictions;
  };

  const withinColdBand = (id: string) => {
    const row = byId.get(id)!;
    const p = predict().get(id)!;
    return (
      Math.abs(p.coldStartProbability.mean - row.coldStartProbability) <= 3 * row.coldStartProbabilitySE + 3 * p.coldStartProbability.se
    );
  };

  it("keeps its own statistical error well below the measurement's", () => {
    for (const [id, p] of predict()) {
      expect(p.coldStartProbability.se, id).toBeLessThan(0.5 * byId.get(id)!.coldStartProbabilitySE);
    }
  });

  it("matches P(cold) within the measurement's uncertainty at the two lowest rates", () => {
    for (const id of lowIds) expect(withinColdBand(id), id).toBe(true);
  });

  it("matches the mean number of environments within the measurement's uncertainty (subset of 7)", () => {
    for (const id of [...subsetIds, ...lowIds]) {
      const row = byId.get(id)!;
      const p = predict().get(id)!;
      const band = 3 * p.environmentsRunSd + 3 * p.environments.se;
      expect(p.environments.mean, id).toBeLessThanOrEqual(row.averageInstanceCount + band);
      expect(p.environments.mean, id).toBeGreaterThanOrEqual(row.averageInstanceCount * (1 - LINGERING_ALLOWANCE) - band);
    }
  });

  /*
   * Known model gap (reports/validation.md, "Model issues found"): at busy functions AWS kept idle
   * environments longer than a fixed 10-minute per-environment timeout, so the simulator predicts
   * 14-26 % too many cold starts at the five highest rates, 2-7 SE_meas away. The first test states
   * the target and is expected to fail until the model changes (then drop `.fails`); the second
   * pins the size of the gap so it cannot silently grow, or vanish for a wrong reason (switching
   * off recycling, for one, turns the over-prediction into an under-prediction).
   */
  it.fails("matches P(cold) within the measurement's uncertainty at the five highest rates (known gap)", () => {
    for (const id of subsetIds) expect(withinColdBand(id), id).toBe(true);
  });

  it("over-predicts P(cold) at the five highest rates by a bounded margin (known gap)", () => {
    const ratios = subsetIds.map((id) => predict().get(id)!.coldStartProbability.mean / byId.get(id)!.coldStartProbability);
    for (const ratio of ratios) {
      expect(ratio).toBeGreaterThan(1.0);
      expect(ratio).toBeLessThan(1.5);
    }
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    expect(mean).toBeGreaterThan(1.08);
    expect(mean).toBeLessThan(1.35);
  });

  /*
   * MAPE over the subset. The full-precision headline run gives ~16 % (P(cold)) and ~3.7 %
   * (environments) on these 7 experiments; the fast plan adds sampling error of ~1-2 % per
   * experiment. Bounds: 25 % and 6 %. LRU reuse, a broken measurement window or a lost cold start
   * would each push P(cold) far beyond 25 %.
   */
  it("keeps the MAPE over the subset below 25 % (P(cold)) and 6 % (environments)", () => {
    const ids = [...subsetIds, ...lowIds];
    const summary = compareExperiments(
      ids.map((id) => byId.get(id)!),
      ids.map((id) => predict().get(id)!),
    );
    expect(summary.coldStartMape).toBeLessThan(25);
    expect(summary.environmentsMape).toBeLessThan(6);
  });
});
