import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/common/inputError.js";
import { type MetricSeries, readInput } from "../../src/tooling/calibrate/inputs.js";
import { parseIsoMs, type ReportRecord, reportOf, splitLogLine } from "../../src/tooling/calibrate/records.js";

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures");
const tmp = mkdtempSync(join(tmpdir(), "lambdasim-calibrate-inputs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function read(file: string) {
  const records: ReportRecord[] = [];
  const metrics: MetricSeries[] = [];
  const result = await readInput(file, { report: (r) => records.push(r), metric: (m) => metrics.push(m) });
  return { ...result, records, metrics };
}

async function problem(file: string): Promise<string> {
  try {
    await read(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`${file} was read without a problem`);
}

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

/** The three REPORTs every log fixture holds, whatever its format. */
const EXPECTED = [
  { time: T0 + 500, durationMs: 100.5, billedMs: 301, memoryMb: 512, maxMemoryMb: 70, initMs: 200, status: "success" },
  { time: T0 + 10_000, durationMs: 50, billedMs: 50, memoryMb: 512, maxMemoryMb: 71, initMs: undefined, status: "success" },
  { time: T0 + 20_000, durationMs: 3000, billedMs: 3000, memoryMb: 512, maxMemoryMb: 72, initMs: 150.25, status: "timeout" },
];

describe("calibrate inputs: formats recognised by content", () => {
  it.each([
    ["text.log", "text", ["2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]bbbb"]],
    ["json-log.log", "json-log", [undefined, undefined, undefined]],
    ["filter-log-events.json", "filter-log-events", ["2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]bbbb"]],
    ["insights.csv", "insights-csv", ["2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]aaaa", "2026/01/05/[$LATEST]bbbb"]],
  ])("%s: the same three REPORT records, format %s", async (name, format, streams) => {
    const got = await read(join(FIXTURES, name));
    expect(got.format).toBe(format);
    expect(got.records.length).toBe(3);
    got.records.forEach((record, i) => {
      expect(record).toMatchObject(EXPECTED[i]);
      expect(record.stream).toBe(streams[i]);
    });
    if (name === "insights.csv") expect(got.records.every((r) => r.group === "orders")).toBe(true);
  });

  it("reads a gzip file by its magic bytes, whatever its name", async () => {
    const file = join(tmp, "orders.txt");
    writeFileSync(file, gzipSync(readFileSync(join(FIXTURES, "text.log"))));
    const got = await read(file);
    expect(got.format).toBe("text");
    expect(got.records.map((r) => r.durationMs)).toEqual([100.5, 50, 3000]);
  });

  it("reads bare messages (no timestamp) as records without a time", async () => {
    const got = await read(join(FIXTURES, "bare.log"));
    expect(got.records).toEqual([expect.objectContaining({ time: undefined, durationMs: 100.5, initMs: 200 })]);
  });

  it("reads get-metric-data series with their metric names", async () => {
    const got = await read(join(FIXTURES, "metric-data.json"));
    expect(got.format).toBe("metric-data");
    expect(got.metrics.map((m) => [m.metric, m.values])).toEqual([
      ["Invocations", [2, 1]],
      ["Throttles", [0]],
    ]);
    expect(got.metrics[0].timestamps).toEqual([T0 + 60_000, T0]);
  });
});

describe("calibrate inputs: bad input names the file and line, and never echoes more than the field", () => {
  it("refuses a file that is none of the formats", async () => {
    const message = await problem(join(FIXTURES, "not-a-log.txt"));
    expect(message).toMatch(/not-a-log\.txt:1: not a format calibrate reads: expected CloudWatch Logs lines/);
    expect(message).not.toContain("quarterly");
  });

  it("refuses a malformed number in a REPORT line, quoting only that value, truncated", async () => {
    const file = join(tmp, "bad-number.log");
    const long = "12x".repeat(40);
    writeFileSync(
      file,
      [
        "2026-01-05T10:00:00.500Z REPORT RequestId: r1\tDuration: 10 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB",
        `2026-01-05T10:00:01.500Z REPORT RequestId: secret-request\tDuration: ${long} ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB`,
      ].join("\n"),
    );
    const message = await problem(file);
    expect(message).toBe(
      `${file}:2: REPORT field "Duration" is ${JSON.stringify(`${long.slice(0, 40)}…`)}, not a number (digits with an optional decimal part)`,
    );
    expect(message).not.toContain("secret-request");
  });

  it("refuses a JSON log record whose metric is not a number", async () => {
    const file = join(tmp, "bad.json.log");
    writeFileSync(
      file,
      '{"time":"2026-01-05T10:00:00Z","type":"platform.report","record":{"metrics":{"durationMs":"fast","billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":1}}}\n',
    );
    expect(await problem(file)).toBe(`${file}:1: platform.report record.metrics.durationMs is "fast", not a number ≥ 0`);
  });

  it("refuses a JSON document that is neither AWS CLI output", async () => {
    const file = join(tmp, "other.json");
    writeFileSync(file, '{\n  "items": []\n}\n');
    expect(await problem(file)).toMatch(/other\.json:1: a JSON document with neither events\[\] nor MetricDataResults\[\]/);
  });

  it("refuses a cut-short gzip file and an empty one", async () => {
    const cut = join(tmp, "cut.gz");
    const whole = gzipSync(readFileSync(join(FIXTURES, "text.log")));
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    expect(await problem(cut)).toMatch(/cut\.gz: starts like gzip but is not a valid gzip stream/);
    const empty = join(tmp, "empty.log");
    writeFileSync(empty, "");
    expect(await problem(empty)).toBe(`${empty}: is empty`);
  });
});

describe("calibrate inputs: log lines", () => {
  it("parses export timestamps with microseconds and offsets", () => {
    expect(parseIsoMs("2026-01-05T10:00:00.123456+00:00")).toBeCloseTo(T0 + 123.456, 6);
    expect(parseIsoMs("2026-01-05T11:00:00.5+01:00")).toBe(T0 + 500);
    expect(parseIsoMs("2026-01-05 10:00:00.250")).toBe(T0 + 250);
    expect(parseIsoMs("yesterday")).toBeUndefined();
  });

  it("splits aws logs tail lines, timestamped lines and bare messages", () => {
    expect(splitLogLine("2026-01-05T10:00:00Z 2026/01/05/[$LATEST]ab12 REPORT RequestId: x")).toEqual({
      time: T0,
      stream: "2026/01/05/[$LATEST]ab12",
      message: "REPORT RequestId: x",
    });
    expect(splitLogLine("2026-01-05T10:00:00Z\tREPORT RequestId: x")).toEqual({
      time: T0,
      stream: undefined,
      message: "REPORT RequestId: x",
    });
    expect(splitLogLine("REPORT RequestId: x")).toEqual({ time: undefined, stream: undefined, message: "REPORT RequestId: x" });
  });

  it("takes Status: error as an error, and ignores START, END and the handler's lines", () => {
    const where = { file: "f", line: 1 };
    const context = { time: 0, stream: undefined, group: undefined };
    const error = reportOf(
      "REPORT RequestId: a Duration: 5.5 ms Billed Duration: 6 ms Memory Size: 128 MB Max Memory Used: 60 MB Status: error",
      context,
      where,
    );
    expect(error?.record).toMatchObject({ durationMs: 5.5, billedMs: 6, memoryMb: 128, status: "error", initMs: undefined });
    for (const other of ["START RequestId: a Version: $LATEST", "END RequestId: a", "Duration: 5 ms of my own", '{"level":"INFO"}']) {
      expect(reportOf(other, context, where)).toBeUndefined();
    }
  });
});
