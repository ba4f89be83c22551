import { describe, expect, it } from "vitest";
import { renderHtmlReport, renderSweepHtml, type SweepRow } from "../../src/report/html.js";
import { round } from "../../src/report/rounding.js";
import { buildSummary } from "../../src/report/summary.js";
import { escapeXml, formatNumber } from "../../src/report/format.js";
import { denseColumn } from "../../src/report/quietMinutes.js";
import { lineChart } from "../../src/report/svg.js";
import { TIMESERIES_HEADER, timeSeriesRows } from "../../src/report/timeseries.js";
import type { SimulationResult } from "../../src/simulate.js";
import { DESCRIPTION_WITH_MARKUP, eventSources, twoSyncFunctions, twoWeeksOfTwelveFunctions } from "./reportScenarios.js";

interface Figure {
  kind: string;
  body: string;
}

function figures(html: string): Figure[] {
  return [...html.matchAll(/<figure data-chart="([a-z-]+)">([\s\S]*?)<\/figure>/g)].map((m) => ({ kind: m[1], body: m[2] }));
}

function chartCounts(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of figures(html)) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return counts;
}

const occurrences = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

const sync = twoSyncFunctions();
const syncHtml = renderHtmlReport(sync);
const sources = eventSources();
const sourcesHtml = renderHtmlReport(sources);
const long = twoWeeksOfTwelveFunctions();
const longHtml = renderHtmlReport(long);

describe("renderHtmlReport", () => {
  it("draws the latency CDF, each function's concurrency, cold starts, throttles and cost", () => {
    expect(chartCounts(syncHtml)).toEqual({
      "latency-cdf": 1,
      "latency-over-time": 2,
      "invocations-over-time": 2,
      "account-concurrency": 1,
      concurrency: 2,
      "cold-starts": 1,
      throttles: 1,
      cost: 1,
    });
    expect(syncHtml).not.toContain("<h2>Event sources</h2>");
  });

  it("makes every chart an accessible SVG with a title, axis labels and a legend", () => {
    for (const html of [syncHtml, sourcesHtml, longHtml]) {
      for (const { kind, body } of figures(html)) {
        expect(occurrences(body, /<svg /g), kind).toBe(1);
        const labelledBy = body.match(/<svg [^>]*role="img" aria-labelledby="([^"]+)"/);
        expect(labelledBy, kind).not.toBeNull();
        for (const id of labelledBy![1].split(" ")) expect(body, kind).toMatch(new RegExp(`<(title|desc) id="${id}">[^<]+</`));
        expect(occurrences(body, /class="axis-label"/g), kind).toBe(kind === "cost" ? 1 : 2);
        expect(body, kind).toMatch(/<g class="legend">(<(line|rect|circle) [^>]*\/><text [^>]*>[^<]+<\/text>)+<\/g>/);
      }
      const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("draws one CDF line per function, labelled with its p99", () => {
    const cdf = figures(syncHtml).find((f) => f.kind === "latency-cdf")!.body;
    const summary = buildSummary(sync);
    expect(occurrences(cdf, /<path d="M/g)).toBe(2);
    for (const name of ["api", "checkout"]) {
      const p99 = summary.functions[name].latencyMs.p99;
      expect(cdf).toContain(`<title>${name} (p99 ${formatNumber(p99, 1)} ms)</title>`);
    }
    // Log axis in decades with 2x and 5x ticks, and the tail spread out on the y axis.
    expect(cdf).toMatch(/>100<\/text>.*>200<\/text>.*>500<\/text>.*>1,000<\/text>/);
    expect(cdf).toMatch(/>90 %<\/text>.*>99 %<\/text>.*>99\.9 %<\/text>.*>max<\/text>/);
  });

  it("draws each function against its own limits, provisioned concurrency dashed", () => {
    const [api, checkout] = figures(syncHtml).filter((f) => f.kind === "concurrency");
    expect(api.body).toContain("api: concurrent executions against its limits");
    expect(api.body).toContain(">reserved concurrency: 20</text>");
    expect(occurrences(api.body, /<line class="limit"/g)).toBe(1);
    expect(api.body).toContain(">account concurrency limit: 1,000 (above the plotted range)</text>");
    expect(checkout.body).toMatch(
      /<path d="[^"]+" stroke="[^"]+" stroke-width="2" stroke-dasharray="6 4" fill="none"><title>provisioned concurrency \(configured\)<\/title>/,
    );
    // Without reserved concurrency the function draws from the pool the other's 20 leave.
    expect(checkout.body).toContain(">unreserved pool (shared): 980 (above the plotted range)</text>");
  });

  it("prints the summary's figures in its tables", () => {
    const summary = buildSummary(sync);
    for (const [name, f] of Object.entries(summary.functions)) {
      const cells = [f.arrivals, f.outcomes.succeeded, f.outcomes.failed, f.outcomes.throttled]
        .map((v) => `<td class="n">${formatNumber(v)}</td>`)
        .join("");
      expect(syncHtml).toContain(`<tr><td>${name}</td>${cells}`);
    }
    expect(summary.functions.api.outcomes.throttled).toBeGreaterThan(0);
    const t = summary.totals.cost;
    expect(syncHtml).toContain(
      `<td class="n">$${formatNumber(t.totalUsd, 6)}</td><td class="n">$${formatNumber(t.perMillionRequestsUsd ?? NaN, 6)}</td></tr>`,
    );
    // The monthly cost comes first, before the outcomes.
    const m = summary.monthly!;
    expect(syncHtml.indexOf("<h2>")).toBe(syncHtml.indexOf("<h2>Monthly cost</h2>"));
    expect(syncHtml).toContain(`<p>$${formatNumber(m.totalUsd, m.totalUsd >= 100 ? 2 : 6)} a month:`);
    expect(syncHtml).toContain(`<td class="n">$${formatNumber(m.totalUsd, m.totalUsd >= 100 ? 2 : 6)}</td>`);
  });

  it("is the same bytes for the same scenario and seed", () => {
    expect(renderHtmlReport(twoSyncFunctions())).toBe(syncHtml);
  });

  it("is self-contained: no script, no external resource, no link", () => {
    for (const html of [syncHtml, sourcesHtml, longHtml]) {
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      expect(html).not.toMatch(/\s(src|href)\s*=/i);
      expect(html).not.toMatch(/https?:\/\//i);
    }
  });

  it("escapes text from the scenario", () => {
    expect(syncHtml).toContain(escapeXml(DESCRIPTION_WITH_MARKUP));
    expect(syncHtml).toContain("Burst &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    expect(syncHtml).not.toContain(DESCRIPTION_WITH_MARKUP);
  });

  it("adds event-source charts only for the functions that have each source", () => {
    expect(chartCounts(sourcesHtml)).toMatchObject({ "async-event-age": 1, "iterator-age": 1, "queue-depth": 1, pollers: 1 });
    const body = (kind: string) => figures(sourcesHtml).find((f) => f.kind === kind)!.body;
    const lines = (kind: string) => [...body(kind).matchAll(/<path d="[^"]+" [^>]*><title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(lines("async-event-age")).toEqual(["worker"]);
    expect(lines("iterator-age")).toEqual(["indexer"]);
    expect(lines("pollers")).toEqual(["consumer"]);
    expect(lines("queue-depth")).toEqual(["worker", "indexer", "consumer"]);
    for (const heading of ["Asynchronous invocation", "Streams", "SQS"]) expect(sourcesHtml).toContain(`<h3>${heading}</h3>`);
  });

  it("reduces a two-week run to hourly points, says so, and stays small", () => {
    const minutes = Math.ceil(long.simulatedSeconds / 60);
    const points = Math.ceil(minutes / 60);
    expect(minutes).toBeGreaterThan(20_160);
    const note = `${formatNumber(minutes)} minutes drawn as ${formatNumber(points)} points, one per hour`;
    for (const { kind, body } of figures(longHtml)) {
      if (kind === "latency-cdf" || kind === "cost") continue;
      expect(body, kind).toContain(note);
      // A step line changes level at most once per point.
      for (const path of body.matchAll(/<path d="([^"]+)"/g)) expect(occurrences(path[1], /H/g)).toBeLessThanOrEqual(points + 1);
    }
    expect(longHtml.length).toBeLessThan(2_000_000);
  });

  it("draws the ten busiest of many functions and lists them all", () => {
    const counts = chartCounts(longHtml);
    expect(counts.concurrency).toBe(10);
    const cdf = figures(longHtml).find((f) => f.kind === "latency-cdf")!.body;
    // fn-01 and fn-02 have the lowest arrival rates.
    expect(cdf).not.toMatch(/fn-0[12] \(p99/);
    for (let i = 3; i <= 12; i++) expect(cdf).toContain(`fn-${String(i).padStart(2, "0")} (p99`);
    expect(longHtml).toContain("the other 2 are in the tables");
    expect(occurrences(longHtml, /<tr><td>fn-\d\d<\/td>/g)).toBe(12 * 5);
    const cost = figures(longHtml).find((f) => f.kind === "cost")!.body;
    expect(cost).toContain(">2 other functions<title>");
  });
});

describe("denseColumn", () => {
  const columns = [
    "ConcurrentExecutionsMax",
    "ConcurrentExecutionsMean",
    "ColdStarts",
    "Throttles",
    "IteratorAgeMax",
    "AsyncEventAgeMax",
    "QueueDepthMax",
    "PollersMax",
  ] as const;

  /** Every function's columns as timeseries.csv has them, with 0 where the CSV has no row. */
  function csvColumns(result: SimulationResult, minutes: number): Map<string, Float64Array> {
    const csv = new Map<string, Float64Array>();
    for (const f of result.functions) for (const column of columns) csv.set(`${f.spec.name} ${column}`, new Float64Array(minutes));
    const header: readonly string[] = TIMESERIES_HEADER;
    const positions = columns.map((column) => header.indexOf(column));
    for (const row of timeSeriesRows(result)) {
      columns.forEach((column, i) => csv.get(`${row[2]} ${column}`)?.set([row[positions[i]] as number], row[0] as number));
    }
    return csv;
  }

  it("fills the minutes without a stored row exactly as timeseries.csv does", () => {
    for (const result of [sources, long]) {
      const minutes = Math.max(1, Math.ceil(result.simulatedSeconds / 60));
      const dense = new Float64Array(minutes);
      const csv = csvColumns(result, minutes);
      for (const column of columns) {
        for (const f of result.functions) {
          denseColumn(f.metrics.series, column, dense);
          const expected = csv.get(`${f.spec.name} ${column}`)!;
          for (let m = 0; m < minutes; m++) {
            if (round(dense[m], 6) !== expected[m])
              expect.fail(`${f.spec.name} ${column} minute ${m}: ${dense[m]} vs ${expected[m]} in the CSV`);
          }
        }
      }
    }
  });
});

describe("SVG helpers", () => {
  it("formats numbers the same on every machine", () => {
    expect(formatNumber(1234567.891, 2)).toBe("1,234,567.89");
    expect(formatNumber(-0.001, 2)).toBe("0.00");
    expect(formatNumber(-1500)).toBe("−1,500");
    expect(formatNumber(999.5)).toBe("1,000");
  });

  it("escapes every label and title", () => {
    const label = `<b>"x" & 'y'</b>`;
    const svg = lineChart({
      id: "c",
      title: label,
      notes: [label],
      x: { label },
      y: { label },
      series: [{ label, color: "#000", shape: "line", x: [1, 2], y: [1, 2] }],
      limits: [{ label, value: 2, color: "#000" }],
    });
    expect(svg).not.toMatch(/<b>|"x"|'y'| & /);
    // Title, visible title, description, note, both axes, the line's tooltip and legend, the limit's.
    expect(occurrences(svg, /&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;\/b&gt;/g)).toBe(10);
  });
});

describe("renderSweepHtml", () => {
  const rows: SweepRow[] = [
    { label: "128 MB", costUsd: 1.2, p99Ms: 2400, onFrontier: true, memoryMb: 128 },
    { label: "256 MB", costUsd: 1.1, p99Ms: 1300, onFrontier: true, memoryMb: 256 },
    { label: "512 MB", costUsd: 1.25, p99Ms: 700, onFrontier: true, memoryMb: 512 },
    { label: "1024 MB", costUsd: 2.1, p99Ms: 720, onFrontier: false, memoryMb: 1024 },
    { label: `<img src=x onerror="alert(1)">`, costUsd: 1.3, p99Ms: 1400, onFrontier: false, memoryMb: 2048 },
  ];
  const html = renderSweepHtml(rows, "memory sweep <of> steady-api");

  it("draws the variants, the frontier highlighted and joined by a staircase", () => {
    expect(chartCounts(html)).toEqual({ "sweep-frontier": 1 });
    const body = figures(html)[0].body.match(/<g class="data">.*?<\/g>/)![0];
    expect(occurrences(body, /<circle (class="frontier" )?cx=/g)).toBe(5);
    expect(occurrences(body, /<circle class="frontier"/g)).toBe(3);
    // From the fastest frontier point: across to the next one's p99, down to its cost, twice.
    expect(body).toMatch(/<path d="M[\d.]+,[\d.]+H[\d.]+V[\d.]+H[\d.]+V[\d.]+"/);
  });

  it("lists every variant with its extra fields, escaped", () => {
    expect(occurrences(html, /<tr><td>/g)).toBe(5);
    expect(html).toContain('<th class="n">memoryMb</th>');
    expect(html).toContain('<td class="n">2,048</td>');
    expect(html).toContain("<h1>memory sweep &lt;of&gt; steady-api</h1>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(renderSweepHtml(rows, "memory sweep <of> steady-api")).toBe(html);
  });
});
