import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LineReader } from "../../src/workload/lineReader.js";
import { AzureTraceReplay, scanAzureTrace, scanTimestampTrace, timestampArrivals, TraceFormatError } from "../../src/workload/traces.js";

const dir = mkdtempSync(join(tmpdir(), "lambdasim-traces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const AZURE_SAMPLE = new URL("../../scenarios/traces/azure-functions-2021-sample.csv", import.meta.url).pathname;

describe("LineReader", () => {
  it("returns every line across chunk boundaries, CRLF and multi-byte characters intact", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},é€${"x".repeat(i % 17)}`);
    const path = file("long.csv", lines.join("\r\n"));
    const reader = new LineReader(path, { maxLineBytes: 1 << 20, tooLong: (line) => new Error(`line ${line}`) });
    const read: string[] = [];
    for (let line = reader.next(); line !== undefined; line = reader.next()) read.push(line);
    expect(read).toEqual(lines);
    expect(reader.lineNumber).toBe(20_000);
  });
});

describe("timestamp traces", () => {
  it("skips a header, shifts to the first timestamp and stops at the end", () => {
    const path = file("ts.csv", "time\n100\n100.5\n101\n250\n");
    const info = scanTimestampTrace(path, { column: 0 });
    expect(info).toEqual({ arrivals: 4, first: 100, last: 250, unit: "s", guessed: false, bytes: 23 });
    const { clock } = timestampArrivals(path, 0, info, 100, 100);
    expect([clock(), clock(), clock(), clock()]).toEqual([0, 0.5, 1, Infinity]);
  });

  it("names the line of a decreasing or non-numeric timestamp", () => {
    const decreasing = file("dec.csv", "1\n3\n2\n");
    expect(() => scanTimestampTrace(decreasing, { column: 0 })).toThrow(TraceFormatError);
    try {
      scanTimestampTrace(decreasing, { column: 0 });
    } catch (error) {
      expect((error as TraceFormatError).line).toBe(3);
    }
    expect(() => scanTimestampTrace(file("nan.csv", "1\nabc\n"), { column: 0 })).toThrow(/line|timestamp/);
  });
});

describe("Azure Functions 2021 traces", () => {
  it("the sample lists 31 functions and 199 invocations", () => {
    const info = scanAzureTrace(AZURE_SAMPLE, 3600);
    expect(info.functions.length).toBe(31);
    expect(info.invocations).toBe(199);
  });

  it("replays every row once, in start-time order, with its own duration", () => {
    const info = scanAzureTrace(AZURE_SAMPLE, 3600);
    const index = new Map(info.functions.map((f, i) => [`${f.app}\u0000${f.func}`, i]));
    const replay = new AzureTraceReplay(AZURE_SAMPLE, info.bytes, index, 60, Infinity);
    const rows = readFileSync(AZURE_SAMPLE, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [app, func, end, duration] = line.split(",");
        return { start: Math.max(0, Number(end) - Number(duration)), duration: Number(duration), fn: index.get(`${app}\u0000${func}`)! };
      });
    rows.sort((a, b) => a.start - b.start);
    const replayed: { start: number; duration: number; fn: number }[] = [];
    for (let t = replay.next(); t < Infinity; t = replay.next())
      replayed.push({ start: t, duration: replay.duration, fn: replay.functionIndex });
    expect(replayed).toEqual(rows);
  });

  it("holds rows out of start order within the reorder window and rejects them beyond it", () => {
    const text = "app,func,end_timestamp,duration\na,f,10,1\na,g,9.5,1\na,f,200,1\n";
    const path = file("az.csv", text);
    expect(() => scanAzureTrace(path, 5)).not.toThrow();
    const late = file("late.csv", "app,func,end_timestamp,duration\na,f,100,1\na,g,20,1\n");
    expect(() => scanAzureTrace(late, 5)).toThrow(/reorderWindow/);
  });

  it("rejects a wrong header and malformed rows with their line", () => {
    expect(() => scanAzureTrace(file("h.csv", "a,b,c,d\n"), 60)).toThrow(/header/);
    expect(() => scanAzureTrace(file("r.csv", "app,func,end_timestamp,duration\na,f,1\n"), 60)).toThrow(/4 columns/);
    expect(() => scanAzureTrace(file("n.csv", "app,func,end_timestamp,duration\na,f,1,-2\n"), 60)).toThrow(/non-negative/);
  });
});

describe("trace scans", () => {
  it("are read once per file while it is unchanged, and again once it changes", () => {
    const path = join(dir, "remembered.csv");
    writeFileSync(path, "t\n1\n2\n3\n");
    const first = scanTimestampTrace(path, { column: 0 });
    expect(scanTimestampTrace(path, { column: 0 })).toBe(first);
    writeFileSync(path, "t\n1\n2\n3\n4\n5\n");
    const changed = scanTimestampTrace(path, { column: 0 });
    expect(changed).not.toBe(first);
    expect(changed).toMatchObject({ arrivals: 5, first: 1, last: 5 });
  });
});

describe("hostile and real-world trace contents", () => {
  const tooLong = (line: number) => new Error(`line ${line} too long`);

  it("LineReader reads a 16 MB line in linear time and refuses it past the limit, after the lines before it", () => {
    const path = file("one-line.csv", `a\nb\n${"x".repeat(16 << 20)}`);
    const started = performance.now();
    const reader = new LineReader(path, { maxLineBytes: 1 << 20, tooLong });
    expect([reader.next(), reader.next()]).toEqual(["a", "b"]);
    expect(() => reader.next()).toThrow("line 3 too long");
    const whole = new LineReader(path, { maxLineBytes: 32 << 20, tooLong });
    whole.next();
    whole.next();
    expect(whole.next()).toHaveLength(16 << 20);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("LineReader drops a CR whose LF starts the next chunk (chunks are no longer than the line limit)", () => {
    const reader = new LineReader(file("cr.csv", "abc\r\nd\r\n"), { maxLineBytes: 4, tooLong });
    expect([reader.next(), reader.next(), reader.next()]).toEqual(["abc", "d", undefined]);
  });

  it("LineReader stops at a byte limit", () => {
    const reader = new LineReader(file("limited.csv", "1\n2\n3\n4\n"), { maxLineBytes: 10, tooLong, byteLimit: 4 });
    expect([reader.next(), reader.next(), reader.next()]).toEqual(["1", "2", undefined]);
  });

  it("ISO-8601 timestamps, with fractions and offsets, become seconds; no offset means UTC", () => {
    const path = file("iso.csv", "when\n2024-06-10T09:00:00Z\n2024-06-10 09:00:00.250\n2024-06-10T11:00:01.5+02:00\n2024-06-11\n");
    const info = scanTimestampTrace(path, { column: 0 });
    const t0 = Date.UTC(2024, 5, 10, 9) / 1000;
    expect(info).toMatchObject({ arrivals: 4, first: t0, last: t0 + 86400 - 9 * 3600, unit: "s", guessed: false });
    const { clock } = timestampArrivals(path, 0, info, t0, Infinity);
    expect([clock(), clock(), clock(), clock(), clock()]).toEqual([0, 0.25, 1.5, 15 * 3600, Infinity]);
    expect(() => scanTimestampTrace(file("bad-iso.csv", "2024-02-30T00:00:00Z\n2024-02-31T00:00:00Z\n"), { column: 0 })).toThrow(
      'expected a timestamp in seconds in column 0, got "2024-02-31T00:00:00Z"',
    );
  });

  it("epoch milliseconds and microseconds are guessed; an explicit unit is not", () => {
    const ms = file("ms.csv", "1718000000000\n1718000001500\n");
    const guessed = scanTimestampTrace(ms, { column: 0 });
    expect(guessed).toMatchObject({ first: 1718000000, last: 1718000001.5, unit: "ms", guessed: true });
    expect(scanTimestampTrace(file("us.csv", "1718000000000000\n"), { column: 0 })).toMatchObject({
      first: 1718000000,
      unit: "us",
      guessed: true,
    });
    expect(scanTimestampTrace(ms, { column: 0, timeUnit: "ms" })).toMatchObject({ unit: "ms", guessed: false });
    const small = scanTimestampTrace(file("small-ms.csv", "0\n1000\n2500\n"), { column: 0, timeUnit: "ms" });
    expect(small).toMatchObject({ first: 0, last: 2.5 });
    const { clock } = timestampArrivals(ms, 0, guessed, guessed.first, Infinity);
    expect([clock(), clock(), clock()]).toEqual([0, 1.5, Infinity]);
  });

  it("quoted CSV fields: commas and doubled quotes inside, in either format", () => {
    const ts = file("quoted-ts.csv", 't,who\n1,"Acme, Inc"\n"2","Smith ""Jr"", LLC"\n3,x\n');
    expect(scanTimestampTrace(ts, { column: 0 })).toMatchObject({ arrivals: 3, first: 1, last: 3 });
    expect(scanTimestampTrace(file("quoted-col.csv", '"Acme, Inc",5\n"B, C",6\n'), { column: 1 })).toMatchObject({ arrivals: 2 });
    const azure = file("quoted-az.csv", 'app,func,end_timestamp,duration\n"Acme, Inc",f,2,1\n');
    expect(scanAzureTrace(azure, 60).functions).toEqual([{ app: "Acme, Inc", func: "f", invocations: 1 }]);
    expect(() => scanTimestampTrace(file("open-quote.csv", '1\n"2\n'), { column: 0 })).toThrow(/quoted field is not closed/);
  });

  it("messages describe a cell of text without quoting it, and quote at most 40 characters of a number", () => {
    const text = file("text-cell.csv", `1\n\u001b[2J${"y".repeat(80)}\n`);
    expect(() => scanTimestampTrace(text, { column: 0 })).toThrow("got text (84 characters)");
    const number = file("long-number.csv", `1\n1.2.3${"4".repeat(60)}\n`);
    expect(() => scanTimestampTrace(number, { column: 0 })).toThrow(`got "1.2.3${"4".repeat(35)}"...`);
  });
});
