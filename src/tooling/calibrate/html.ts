import { cdfPoints } from "../../report/cdf.js";
import { escapeXml } from "../../report/format.js";
import { figure, page, table } from "../../report/html/page.js";
import { lineChart, PALETTE, type Series } from "../../report/svg.js";
import type { Calibration, FunctionDetail, FunctionTimeline } from "./calibrate.js";
import { type CheckResult, checkSummary } from "./check.js";
import { type Family, fittedCdf, type SampleFit } from "./fit.js";
import type { LatencyHistogram } from "../../metrics/histogram.js";

/*
 * calibration.html: for each function the observed distributions against the fitted families,
 * invocations per minute and concurrency over time, drawn with the run report's chart code.
 */

const FAMILIES: Family[] = ["lognormal", "gamma", "weibull"];

function distributionChart(id: string, title: string, sketch: LatencyHistogram, fit: SampleFit): string {
  const points = cdfPoints(sketch, 300);
  const series: Series[] = [
    { label: `observed (${fit.count})`, color: "#222", shape: "line", x: points.map((p) => p.value), y: points.map((p) => p.p) },
  ];
  if (fit.fits !== null) {
    // The fitted curves on a grid spanning the observed range, log-spaced like the axis.
    const lo = Math.max(sketch.min, 1e-3);
    const hi = sketch.max;
    const grid = Array.from({ length: 200 }, (_, i) => lo * (hi / lo) ** (i / 199));
    FAMILIES.forEach((family, i) => {
      const cdf = fittedCdf(fit.fits!, family);
      series.push({
        label: `${family}, KS ${fit.fits![family].ks.toFixed(3)}${family === fit.best ? " (best)" : ""}`,
        color: PALETTE[i],
        shape: "line",
        dashed: family !== fit.best,
        x: grid,
        y: grid.map(cdf),
      });
    });
  }
  return figure(
    "cdf",
    lineChart({
      id,
      title,
      notes: [
        fit.fits === null
          ? "Too few values (or no spread) to fit a family."
          : `KS distance at the 5 % level is significant above ${fit.ksCritical.toFixed(3)}; the scenario uses the observed quantiles either way.`,
      ],
      x: { label: "time (ms, log scale)", scale: "log" },
      y: { label: "share at or below", max: 1 },
      series,
    }),
  );
}

function minuteAxis(n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => i);
}

/** Invocations per minute and concurrency over time: only timestamped records have them. */
function timelineCharts(t: FunctionTimeline, id: (s: string) => string): string[] {
  const minutes = t.perMinute.invocations.length;
  return [
    figure(
      "invocations",
      lineChart({
        id: id("rate"),
        title: "Invocations per minute",
        notes: ["By start time (REPORT time − duration − init), as the trace replays them."],
        x: { label: "time since the window's start (min)", min: 0 },
        y: { label: "invocations per minute", integer: true },
        series: [{ label: "invocations", color: PALETTE[0], shape: "step", x: minuteAxis(minutes), y: t.perMinute.invocations }],
      }),
    ),
    figure(
      "concurrency",
      lineChart({
        id: id("concurrency"),
        title: "Concurrency over time",
        notes: ["From the invocation intervals [start, REPORT time]: the highest in each minute, and the minute's mean."],
        x: { label: "time since the window's start (min)", min: 0 },
        y: { label: "concurrent invocations" },
        series: [
          { label: "peak in the minute", color: PALETTE[1], shape: "step", x: minuteAxis(minutes), y: t.perMinute.peakConcurrency },
          { label: "mean", color: PALETTE[0], shape: "step", x: minuteAxis(minutes), y: t.perMinute.meanConcurrency },
        ],
      }),
    ),
  ];
}

function functionSection(f: FunctionDetail, check: CheckResult | undefined, id: (s: string) => string): string[] {
  const c = f.calibration;
  const parts = [
    `<h2>${escapeXml(f.name)}</h2>`,
    `<p class="meta">${c.invocations.toLocaleString("en-US")} invocations at ${c.memoryMb} MB · ${c.coldStarts} cold starts · ${c.environments} environments · errors ${(c.errorRate * 100).toFixed(2)} % · timeouts ${(c.timeoutRate * 100).toFixed(2)} %</p>`,
    `<p>Keep-alive: ${c.keepAlive.status === "estimated" ? `<strong>${c.keepAlive.seconds} s</strong>` : "not estimated"}: ${escapeXml(c.keepAlive.evidence)}.</p>`,
    distributionChart(id("duration"), "Handler duration: observed vs fitted", f.durationSketch, c.duration),
  ];
  if (c.init !== null) parts.push(distributionChart(id("init"), "Init duration: observed vs fitted", f.initSketch, c.init));
  if (f.timeline !== null) parts.push(...timelineCharts(f.timeline, id));
  const rows = check?.functions[f.name];
  if (rows !== undefined) {
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : "∞");
    parts.push(
      "<h3>Check: logs vs model</h3>",
      table(
        [
          { head: "figure" },
          { head: "observed", numeric: true },
          { head: "simulated", numeric: true },
          { head: "error", numeric: true },
          { head: "tolerance", numeric: true },
          { head: "verdict" },
        ],
        rows.map((r) => [
          escapeXml(r.figure),
          String(Number(r.observed.toPrecision(6))),
          String(Number(r.simulated.toPrecision(6))),
          pct(r.error),
          pct(r.tolerance),
          r.verdict === "pass" ? "pass" : "<strong>fail</strong>",
        ]),
      ),
    );
  }
  return parts;
}

/** Up to a few inputs inline; more (an S3 export has one file per log stream) as totals, the list folded away. */
function inputsHtml(inputs: Calibration["inputs"]): { inline: string; folded: string[] } {
  const one = (i: Calibration["inputs"][number]) => `${escapeXml(i.file)} (${escapeXml(i.format)}, ${i.records})`;
  if (inputs.length <= 4) return { inline: `inputs: ${inputs.map(one).join(", ")}`, folded: [] };
  const records = inputs.reduce((sum, i) => sum + i.records, 0);
  return {
    inline: `${inputs.length} inputs, ${records.toLocaleString("en-US")} records`,
    folded: [`<details class="meta"><summary>the ${inputs.length} inputs</summary>${inputs.map(one).join("<br>")}</details>`],
  };
}

export function calibrationHtml(calibration: Calibration, check: CheckResult | undefined): string {
  let n = 0;
  const id = (s: string) => `c${n++}-${s}`;
  const inputs = inputsHtml(calibration.inputs);
  const body = [
    "<h1>Calibration</h1>",
    `<p class="meta">${
      calibration.window === null
        ? "No timestamps in the records: no window, trace, rate profile or concurrency"
        : `Window ${escapeXml(calibration.window.start)} to ${escapeXml(calibration.window.end)} (${(calibration.window.seconds / 60).toFixed(1)} min)`
    } · ${inputs.inline}</p>`,
    ...inputs.folded,
  ];
  if (check !== undefined) {
    body.push(`<p><strong>Check of ${escapeXml(checkSummary(check))}.</strong></p>`);
  }
  if (calibration.warnings.length > 0)
    body.push("<h2>Warnings</h2>", "<ul>", ...calibration.warnings.map((w) => `<li>${escapeXml(w)}</li>`), "</ul>");
  for (const f of calibration.functions) body.push(...functionSection(f, check, id));
  return page("lambdasim calibration", body);
}
