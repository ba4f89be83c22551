/**
 * Writes generated Lambda logs with a known truth, for trying `lambdasim calibrate` by hand and for the
 * bench. After `npm run build`:
 *
 *   node dist/test/calibrate/generator/cli.js OUT_FILE [--format text|json-log|filter-log-events|insights-csv|metric-data]
 *        [--invocations N] [--keep-alive SECONDS] [--seed N] [--prefix space|tab|none|tail] [--per-stream] [--gzip] [--no-app-lines]
 *
 * Without --invocations it writes the round-trip truth's hour; with it, steady traffic of N invocations.
 * Prints the realized figures as one JSON line.
 */
import { FORMATS, type Format, type Prefix, writeLogs } from "./formats.js";
import { benchTruth, roundTripTruth } from "./truths.js";

const USAGE =
  "usage: cli.js OUT_FILE [--format text|json-log|filter-log-events|insights-csv|metric-data] [--invocations N] [--keep-alive SECONDS] [--seed N] [--prefix space|tab|none|tail] [--per-stream] [--gzip] [--no-app-lines]";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let out: string | undefined;
let format: Format = "text";
let invocations: number | undefined;
let keepAlive: number | undefined;
let seed: number | undefined;
let prefix: Prefix = "space";
let perStream = false;
let gzip = false;
let appLines = true;
const number = (flag: string, value: string | undefined): number => {
  const n = Number(value);
  if (!(value !== undefined && Number.isFinite(n) && n > 0)) fail(`${flag}: expected a positive number, got ${value}`);
  return n;
};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--format") {
    const f = args[++i] as Format;
    if (!FORMATS.includes(f)) fail(`--format: unknown ${f}`);
    format = f;
  } else if (a === "--invocations") invocations = Math.floor(number(a, args[++i]));
  else if (a === "--keep-alive") keepAlive = number(a, args[++i]);
  else if (a === "--seed") seed = Math.floor(number(a, args[++i]));
  else if (a === "--prefix") {
    const p = args[++i];
    if (p !== "space" && p !== "tab" && p !== "none" && p !== "tail") fail(`--prefix: unknown ${p}`);
    prefix = p;
  } else if (a === "--per-stream") perStream = true;
  else if (a === "--gzip") gzip = true;
  else if (a === "--no-app-lines") appLines = false;
  else if (!a.startsWith("--") && out === undefined) out = a;
  else fail(`unknown argument ${a}`);
}
if (out === undefined) fail("OUT_FILE is required");
const truth = invocations === undefined ? roundTripTruth() : benchTruth(invocations);
if (keepAlive !== undefined) truth.keepAliveSeconds = keepAlive;
if (seed !== undefined) truth.seed = seed;
const realized = await writeLogs(truth, format, out, { gzip, prefix, perStream, appLines });
console.log(JSON.stringify(realized));
