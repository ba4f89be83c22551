/*
 * Opens the HTML reports in headless Chromium (its command line, no extra npm dependency) and
 * checks that every chart is laid out with visible marks inside its frame. A screenshot of each
 * page is kept in test-artifacts/report/ for people to look at.
 *
 * Chromium is found through $CHROMIUM, then `chromium` or `chromium-browser` on the PATH; .ci/run
 * installs Debian's `chromium`. Without one the tests are skipped, saying so.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderHtmlReport, renderSweepHtml } from "../../src/report/html.js";
import { figure, page as htmlPage } from "../../src/report/html/page.js";
import { lineChart, PALETTE } from "../../src/report/svg.js";
import { eventSources, twoSyncFunctions } from "./reportScenarios.js";

function findChromium(): string | null {
  // An explicit choice that does not exist is an error (the run fails), not a reason to skip.
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

const chromium = findChromium();
const NOT_FOUND = "Chromium not found: set CHROMIUM or install it (Debian: apt-get install -y chromium); skipping the browser checks";
if (chromium === null) console.warn(NOT_FOUND);

const artifacts = fileURLToPath(new URL("../../test-artifacts/report/", import.meta.url));
// A fresh profile per run: a shared one is locked by any other Chromium running at the time.
const profile = mkdtempSync(join(tmpdir(), "lambdasim-chromium-"));
afterAll(() => rmSync(profile, { recursive: true, force: true }));

function runChromium(args: string[]): string {
  return execFileSync(
    chromium!,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      ...args,
    ],
    {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
}

/**
 * Measures each chart in the laid-out page and writes the figures into the DOM, which
 * --dump-dom then prints. Test-only: the reports themselves have no script.
 */
const MEASURE = `<script>
const charts = [...document.querySelectorAll("figure[data-chart]")].map((figure) => {
  const svg = figure.querySelector("svg");
  const frame = svg.viewBox.baseVal;
  const box = svg.getBoundingClientRect();
  const data = svg.querySelector("g.data").getBBox();
  const legend = svg.querySelector("g.legend").getBBox();
  const marks = [...svg.querySelectorAll("g.data path, g.data rect, g.data circle, g.data line")].filter((m) => {
    const b = m.getBBox();
    return b.width > 0 || b.height > 0;
  }).length;
  const texts = [...svg.querySelectorAll("text")].filter((t) => t.getComputedTextLength() > 0).length;
  // The rotated y axis title against the y tick labels, as laid out with the real font.
  const title = svg.querySelector("text.axis-label[transform]")?.getBoundingClientRect();
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const yLabelsClear = !title || [...svg.querySelectorAll("g.axis.y text")].every((t) => !overlaps(t.getBoundingClientRect(), title));
  return {
    kind: figure.dataset.chart,
    shown: [box.width, box.height],
    inside: data.x >= 0 && data.y >= 0 && data.x + data.width <= frame.width && data.y + data.height <= frame.height,
    data: [data.width, data.height],
    legend: [legend.width, legend.height],
    marks,
    texts,
    yLabelsClear,
  };
});
const out = document.createElement("pre");
out.id = "render-check";
out.textContent = JSON.stringify(charts);
document.body.append(out);
</script>`;

interface Measured {
  kind: string;
  shown: [number, number];
  inside: boolean;
  data: [number, number];
  legend: [number, number];
  marks: number;
  texts: number;
  yLabelsClear: boolean;
}

function measure(name: string, html: string): Measured[] {
  const wrapper = join(profile, `${name}-check.html`);
  writeFileSync(wrapper, html.replace("</body>", `${MEASURE}\n</body>`));
  const dom = runChromium(["--dump-dom", pathToFileURL(wrapper).href]);
  const json = dom.match(/<pre id="render-check">([^<]*)<\/pre>/);
  expect(json, "the measuring script ran").not.toBeNull();
  return JSON.parse(json![1]) as Measured[];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Each busy function's latency, and its invocations, errors and throttles, over time. */
const OVER_TIME = ["latency-over-time", "invocations-over-time"];

const pages = [
  {
    name: "report",
    html: () => renderHtmlReport(twoSyncFunctions()),
    charts: [
      "latency-cdf",
      ...OVER_TIME,
      ...OVER_TIME,
      "account-concurrency",
      "concurrency",
      "concurrency",
      "cold-starts",
      "throttles",
      "cost",
    ],
  },
  {
    name: "event-sources",
    html: () => renderHtmlReport(eventSources()),
    charts: [
      "latency-cdf",
      ...OVER_TIME,
      ...OVER_TIME,
      ...OVER_TIME,
      "account-concurrency",
      "concurrency",
      "concurrency",
      "concurrency",
      "cold-starts",
      "throttles",
      "async-event-age",
      "iterator-age",
      "queue-depth",
      "pollers",
      "cost",
    ],
  },
  {
    // Ticks in the millions (an SQS backlog), the widest labels a y axis gets.
    name: "large-counts",
    charts: ["queue-depth"],
    html: () =>
      htmlPage("large counts", [
        figure(
          "queue-depth",
          lineChart({
            id: "c1",
            title: "Waiting work",
            x: { label: "time since start (min)", min: 0 },
            y: { label: "events, records or messages", integer: true },
            series: [{ label: "worker", color: PALETTE[1], shape: "step", x: [0, 10, 20, 30, 40], y: [0, 400_000, 1_208_067, 600_000, 0] }],
          }),
        ),
      ]),
  },
  {
    name: "sweep",
    charts: ["sweep-frontier", "power-tuning-cost", "power-tuning-duration"],
    html: () =>
      renderSweepHtml(
        [
          { label: "256 MB", costUsd: 1.1, p99Ms: 1300, onFrontier: true },
          { label: "512 MB", costUsd: 1.25, p99Ms: 700, onFrontier: true },
          { label: "1024 MB", costUsd: 2.1, p99Ms: 720, onFrontier: false },
        ],
        "memory sweep",
        { functionName: "api", memoryMb: [256, 512, 1024], usdPerMillion: [3.1, 3.4, 5.6], durationMeanMs: [610, 330, 280] },
      ),
  },
];

describe("HTML reports in headless Chromium", () => {
  for (const page of pages) {
    it(`renders every chart of ${page.name}.html, and screenshots it`, (ctx) => {
      ctx.skip(chromium === null, NOT_FOUND);
      const html = page.html();
      mkdirSync(artifacts, { recursive: true });
      const file = join(artifacts, `${page.name}.html`);
      writeFileSync(file, html);

      const charts = measure(page.name, html);
      // Every chart the page should have, each drawn by Chromium.
      expect(charts.map((c) => c.kind)).toEqual(page.charts);
      for (const c of charts) {
        expect(c.shown[0], c.kind).toBeGreaterThan(600);
        expect(c.shown[1], c.kind).toBeGreaterThan(100);
        expect(c.inside, `${c.kind}: marks inside the chart`).toBe(true);
        expect(c.data[0], c.kind).toBeGreaterThan(300);
        expect(c.marks, c.kind).toBeGreaterThan(0);
        expect(c.legend[0] * c.legend[1], c.kind).toBeGreaterThan(0);
        // Title, axis labels, ticks and legend entries.
        expect(c.texts, c.kind).toBeGreaterThanOrEqual(8);
        expect(c.yLabelsClear, `${c.kind}: y tick labels clear of the axis title`).toBe(true);
      }

      const screenshot = join(artifacts, `${page.name}.png`);
      rmSync(screenshot, { force: true });
      runChromium([`--screenshot=${screenshot}`, "--window-size=1280,4000", pathToFileURL(file).href]);
      expect(pngSize(screenshot)).toEqual([1280, 4000]);
    });
  }
});
