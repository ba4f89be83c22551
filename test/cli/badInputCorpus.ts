import { join } from "node:path";
import { KNOWN_RUNTIMES } from "../../src/model/runtimes.js";
import { FEATURE_CASES } from "./featureBadInputCases.js";

/*
 * The malformed scenarios every release must refuse cleanly. badInput.test.ts asserts each one's
 * exact lines; outputHashes.test.ts pins their messages byte for byte.
 */

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A line is either given exactly (without the "error: " prefix) or as a pattern for the whole line. */
export type Expected = string | RegExp;

export interface Context {
  /** The scenario file's absolute path. */
  file: string;
  /** The folder holding it and its extra files. */
  dir: string;
}

export interface BadScenario {
  name: string;
  scenario: string;
  ext?: "yaml" | "json";
  /** Extra files written next to the scenario (trace CSVs), by name. */
  files?: Record<string, string>;
  /** Extra folders created next to the scenario. */
  dirs?: string[];
  expected: Expected[] | ((ctx: Context) => Expected[]);
  /** Why the CLI does not print the expected message yet. */
}

/** A valid scenario around one function; `fn` adds lines to the function, `top` to the scenario. */
export function scenario({ fn = "", top = "", arrivals = "{ poisson: { rate: 1 } }" } = {}): string {
  return [
    "duration: 1m",
    top,
    "functions:",
    "  - name: api",
    "    duration: 100ms",
    fn,
    "workload:",
    "  - function: api",
    `    arrivals: ${arrivals}`,
    "",
  ]
    .filter((line) => line !== "")
    .join("\n")
    .concat("\n");
}

const AZURE_HEADER = "app,func,end_timestamp,duration";
const azure = (file: string, extra = "") => `workload:\n  - trace: { file: ${file}, format: azure-functions-2021${extra} }\n`;
const timestamps = (file: string) =>
  `functions:\n  - { name: api, duration: 100ms }\nworkload:\n  - function: api\n    arrivals: { trace: { file: ${file} } }\n`;

/** A function with a 60 s timeout fed by the one workload entry given. */
const source = (entry: string) => `duration: 1m\nfunctions:\n  - { name: api, duration: 100ms, timeout: 60 }\nworkload:\n  - ${entry}\n`;

const TIME_HELP = "a time such as 250ms, 30s, 10m, 2h, 1d, or a number of seconds";

export const CASES: BadScenario[] = [
  {
    name: "time with an unknown unit",
    scenario: scenario({ fn: "    timeout: 10 sec" }),
    expected: [`functions[0].timeout: expected ${TIME_HELP}, got "10 sec"`],
  },
  {
    name: "negative time",
    scenario: scenario({ fn: "    timeout: -3s" }),
    expected: [`functions[0].timeout: expected ${TIME_HELP}, got "-3s"`],
  },
  {
    name: "memory below 128 MB",
    scenario: scenario({ fn: "    memoryMb: 100" }),
    expected: ["functions[0].memoryMb: must be >= 128, got 100"],
  },
  {
    name: "memory above 10,240 MB",
    scenario: scenario({ fn: "    memoryMb: 20000" }),
    expected: ["functions[0].memoryMb: must be <= 10240, got 20000"],
  },
  {
    name: "memory with a unit",
    scenario: scenario({ fn: "    memoryMb: 512MB" }),
    expected: ['functions[0].memoryMb: expected a number, got "512MB"'],
  },
  {
    name: "timeout below 1 s",
    scenario: scenario({ fn: "    timeout: 0.5s" }),
    expected: ["functions[0].timeout: must be between 1s and 900s, got 0.5 s"],
  },
  {
    name: "timeout above 900 s",
    scenario: scenario({ fn: "    timeout: 901s" }),
    expected: ["functions[0].timeout: must be between 1s and 900s, got 901 s"],
  },
  {
    name: "two problems in one function, one line each",
    scenario: scenario({ fn: "    memoryMb: 64\n    timeout: 1000s" }),
    expected: ["functions[0].memoryMb: must be >= 128, got 64", "functions[0].timeout: must be between 1s and 900s, got 1000 s"],
  },
  {
    name: "reserved concurrency above what may be reserved",
    scenario: scenario({ fn: "    reservedConcurrency: 950" }),
    expected: [
      "functions[0].reservedConcurrency: 950 brings reserved concurrency to 950; at most 900 can be reserved in total (account.concurrencyLimit 1000 - account.unreservedMinimum 100)",
    ],
  },
  {
    name: "reserved concurrency of two functions together above the pool",
    scenario:
      "duration: 1m\nfunctions:\n  - { name: a, duration: 1s, reservedConcurrency: 500 }\n  - { name: b, duration: 1s, reservedConcurrency: 500 }\n" +
      "workload:\n  - function: a\n    arrivals: { poisson: { rate: 1 } }\n",
    expected: [
      "functions[1].reservedConcurrency: 500 brings reserved concurrency to 1000; at most 900 can be reserved in total (account.concurrencyLimit 1000 - account.unreservedMinimum 100)",
    ],
  },
  {
    name: "provisioned concurrency above reserved concurrency",
    scenario: scenario({ fn: "    reservedConcurrency: 10\n    provisionedConcurrency: 20" }),
    expected: [
      "functions[0].provisionedConcurrency: 20 exceeds the function's reservedConcurrency (10); provisioned concurrency must not exceed reserved concurrency",
    ],
  },
  {
    name: "provisioned concurrency of unreserved functions above the pool",
    scenario: scenario({ fn: "    provisionedConcurrency: 950" }),
    expected: [
      "functions[0].provisionedConcurrency: provisioned concurrency of functions without reserved concurrency totals 950; at most 900 fits while 100 stays unreserved",
    ],
  },
  {
    name: "provisioned concurrency schedule out of order",
    scenario: scenario({ fn: "    provisionedConcurrency: [ { at: 10m, value: 2 }, { at: 5m, value: 1 } ]" }),
    expected: ["functions[0].provisionedConcurrency[1].at: must be later than the previous step (600 s), got 300 s"],
  },
  {
    name: "warm-up as long as the duration",
    scenario: scenario({ top: "warmup: 1m" }),
    expected: ["warmup: must be shorter than duration (60 s), got 60 s"],
  },
  {
    name: "negative warm-up",
    scenario: scenario({ top: "warmup: -5s" }),
    expected: [/^error: warmup: .*-5s/],
  },
  {
    name: "more prewarmed environments than the reservation leaves",
    scenario: scenario({ fn: "    reservedConcurrency: 5\n    provisionedConcurrency: 2\n    prewarmedEnvironments: 4" }),
    expected: [
      "functions[0].prewarmedEnvironments: must be at most 3, the on-demand concurrency the function has: reservedConcurrency 5 - provisionedConcurrency at 0 (2); got 4",
    ],
  },
  {
    name: "fractional prewarmed environments",
    scenario: scenario({ fn: "    prewarmedEnvironments: 1.5" }),
    expected: [/^error: functions\[0\]\.prewarmedEnvironments: .*1\.5/],
  },
  {
    name: "misspelt top-level field",
    scenario: scenario({ top: "seeed: 3" }),
    expected: [
      'seeed: unknown field "seeed" (did you mean "seed"?); allowed: name, description, seed, duration, warmup, region, account, platform, functions, workload, sweep',
    ],
  },
  {
    name: "misspelt field in a workload entry",
    scenario: `${scenario()}    clinet: { retry: sdk-standard }\n`,
    expected: [
      'workload[0].clinet: unknown field "clinet" (did you mean "client"?); allowed: function, invocation, arrivals, client, async',
    ],
  },
  {
    name: "misspelt arrival process",
    scenario: scenario({ arrivals: "{ posson: { rate: 1 } }" }),
    expected: [
      'workload[0].arrivals: expected one of { poisson: { rate } }, { constant: { interval } }, { steps: [{ at, rate }] }, { diurnal: { mean, peak, period } }, { trace: { file, format } }, got {"posson":{"rate":1}} ("posson": did you mean "poisson"?)',
    ],
  },
  {
    name: "misspelt field inside a step",
    scenario: scenario({ arrivals: "{ steps: [ { at: 0, rte: 1 } ] }" }),
    expected: [
      "workload[0].arrivals.steps[0].rate: required (a number)",
      'workload[0].arrivals.steps[0].rte: unknown field "rte" (did you mean "rate"?); allowed: at, rate',
    ],
  },
  {
    name: "workload naming a function that is not defined",
    scenario: scenario().replace("  - function: api", "  - function: apl"),
    expected: ['workload[0].function: "apl" is not a defined function (did you mean "api"?); defined: api'],
  },
  {
    name: "a schema error and a reference error at once: both are listed, not the second only after the first is fixed",
    scenario: scenario({ arrivals: "{ poisson: { rate: -1 } }" }).replace("  - function: api", "  - function: apl"),
    expected: [
      "workload[0].arrivals.poisson.rate: must be >= 0, got -1",
      'workload[0].function: "apl" is not a defined function (did you mean "api"?); defined: api',
    ],
  },
  {
    name: "duplicate function names",
    scenario:
      "duration: 1m\nfunctions:\n  - { name: api, duration: 1s }\n  - { name: api, duration: 2s }\n" +
      "workload:\n  - function: api\n    arrivals: { poisson: { rate: 1 } }\n",
    expected: ['functions[1].name: "api" is defined twice; function names must be unique'],
  },
  {
    name: "function name with a space",
    scenario:
      'duration: 1m\nfunctions:\n  - { name: "my api", duration: 1s }\nworkload:\n  - function: "my api"\n    arrivals: { poisson: { rate: 1 } }\n',
    expected: ['functions[0].name: must be 1-64 letters, digits, hyphens or underscores, got "my api"'],
  },
  {
    name: "unknown runtime",
    scenario: scenario({ fn: "    runtime: nodejs18.x" }),
    expected: [
      `functions[0].runtime: unknown runtime (did you mean "nodejs20.x"?); allowed: ${KNOWN_RUNTIMES.join(", ")}, got "nodejs18.x"`,
    ],
  },
  {
    name: "unknown value of an enumerated field",
    scenario: `${scenario()}    client: { retry: standard }\n`,
    expected: ['workload[0].client.retry: expected "none" | "sdk-standard", got "standard"'],
  },
  {
    name: "function without a duration",
    scenario: "duration: 1m\nfunctions:\n  - name: api\nworkload:\n  - function: api\n    arrivals: { poisson: { rate: 1 } }\n",
    expected: [
      "functions[0].duration: required (expected a time, or one of { constant }, { exponential: { mean } }, { lognormal: { median, p99 } | { mean, sd } }, { uniform: { min, max } }, { empirical: [times] }), or give durationByMemory",
    ],
  },
  {
    name: "lognormal p99 below its median",
    scenario: scenario().replace("duration: 100ms", "duration: { lognormal: { median: 200ms, p99: 100ms } }"),
    expected: ["functions[0].duration.lognormal.p99: must be greater than median, got 0.1"],
  },
  {
    name: "uniform max below min",
    scenario: scenario().replace("duration: 100ms", "duration: { uniform: { min: 2s, max: 1s } }"),
    expected: ["functions[0].duration.uniform.max: must be at least min, got 1"],
  },
  {
    name: "error rate above 1",
    scenario: scenario({ fn: "    errorRate: 1.5" }),
    expected: ["functions[0].errorRate: must be <= 1, got 1.5"],
  },
  {
    name: "negative arrival rate",
    scenario: scenario({ arrivals: "{ poisson: { rate: -1 } }" }),
    expected: ["workload[0].arrivals.poisson.rate: must be >= 0, got -1"],
  },
  {
    name: "generated arrivals without a scenario duration",
    scenario: scenario().replace("duration: 1m\n", ""),
    expected: ["duration: required when a workload generates arrivals (a time such as 1h)"],
  },
  {
    name: "empty workload",
    scenario: "duration: 1m\nfunctions:\n  - { name: api, duration: 1s }\nworkload: []\n",
    expected: ["workload: needs at least one workload entry, got []"],
  },
  {
    name: "steps not in increasing order",
    scenario: scenario({ arrivals: "{ steps: [ { at: 0, rate: 1 }, { at: 30s, rate: 2 }, { at: 20s, rate: 3 } ] }" }),
    expected: [/^error: workload\[0\]\.arrivals\.steps\[2\]\.at: .*\b30\b.*, got 20( s)?$/],
  },
  {
    name: "diurnal peak above twice the mean",
    scenario: scenario({ arrivals: "{ diurnal: { mean: 10, peak: 25 } }" }),
    expected: [/^error: workload\[0\]\.arrivals\.diurnal\.peak: .*\b10\b.*\b20\b.*got 25$/],
  },
  {
    name: "missing timestamps trace file",
    scenario: timestamps("nope.csv"),
    expected: ({ dir }) => [
      new RegExp(
        `^error: workload\\[0\\]\\.arrivals\\.trace\\.file: cannot read trace file "nope\\.csv" .*${escapeRegExp(join(dir, "nope.csv"))}.*: no such file$`,
      ),
    ],
  },
  {
    name: "timestamps trace with a non-numeric timestamp",
    scenario: timestamps("bad.csv"),
    files: { "bad.csv": "timestamp\n1\nabc\n" },
    expected: ["workload[0].arrivals.trace.file: bad.csv, line 3: expected a timestamp in seconds in column 0, got text (3 characters)"],
  },
  {
    name: "timestamps trace with decreasing timestamps",
    scenario: timestamps("decreasing.csv"),
    files: { "decreasing.csv": "1\n5\n3\n" },
    expected: ["workload[0].arrivals.trace.file: decreasing.csv, line 3: timestamps must not decrease (3 after 5)"],
  },
  {
    name: "timestamps trace with no timestamps",
    scenario: timestamps("empty.csv"),
    files: { "empty.csv": "timestamp\n" },
    expected: ["workload[0].arrivals.trace.file: the trace has no timestamps"],
  },
  {
    name: "azure trace with the wrong header",
    scenario: azure("header.csv"),
    files: { "header.csv": "app,func,end,duration\na,b,1,0.5\n" },
    expected: [`workload[0].trace.file: header.csv, line 1: expected the header "${AZURE_HEADER}", got "app,func,end,duration"`],
  },
  {
    name: "azure trace with a 3-column row",
    scenario: azure("short.csv"),
    files: { "short.csv": `${AZURE_HEADER}\na,b,1,0.5\na,b,2\n` },
    expected: [`workload[0].trace.file: short.csv, line 3: expected 4 columns (${AZURE_HEADER}), got 3`],
  },
  {
    name: "azure trace with a negative duration",
    scenario: azure("negative.csv"),
    files: { "negative.csv": `${AZURE_HEADER}\na,b,1,-0.5\n` },
    expected: ['workload[0].trace.file: negative.csv, line 2: duration must be a non-negative number of seconds, got "-0.5"'],
  },
  {
    name: "azure trace as arrivals, filtered to an app it does not contain",
    scenario: timestamps("ok.csv").replace("trace: { file: ok.csv }", "trace: { file: ok.csv, format: azure-functions-2021, app: zzz }"),
    files: { "ok.csv": `${AZURE_HEADER}\na,b,1,0.5\n` },
    expected: ['workload[0].arrivals.trace: no invocation in ok.csv matches app "zzz" and func "any"'],
  },
  {
    name: "azure trace with an invalid name prefix",
    scenario: azure("ok.csv", ', namePrefix: "a b"'),
    files: { "ok.csv": `${AZURE_HEADER}\na,b,1,0.5\n` },
    expected: ['workload[0].trace.namePrefix: must be 0-40 letters, digits, hyphens or underscores, got "a b"'],
  },
  {
    name: "trace file that is a folder",
    scenario: azure("folder"),
    dirs: ["folder"],
    expected: ({ dir }) => [
      new RegExp(
        `^error: workload\\[0\\]\\.trace\\.file: cannot read trace file "folder" \\(${escapeRegExp(join(dir, "folder"))};.*\\): is a directory, not a file$`,
      ),
    ],
  },
  {
    name: "YAML syntax error",
    scenario: "duration: 1m\nfunctions: [\n  name: api\n",
    expected: ({ file }) => [new RegExp(`^error: ${escapeRegExp(file)}:\\d+:\\d+: YAML syntax error: \\S.*$`)],
  },
  {
    name: "JSON syntax error in a .json file",
    ext: "json",
    scenario: '{"duration": "1m", "functions": [}',
    expected: ({ file }) => {
      const line = new RegExp(`^error: ${escapeRegExp(file)}:1:\\d+: JSON(/YAML)? syntax error: \\S.*$`);
      return [line, line];
    },
  },
  {
    name: "invalid field in a .json file",
    ext: "json",
    scenario: JSON.stringify({
      duration: "1m",
      functions: [{ name: "api", duration: "100ms", memoryMb: 100 }],
      workload: [{ function: "api", arrivals: { poisson: { rate: 1 } } }],
    }),
    expected: ["functions[0].memoryMb: must be >= 128, got 100"],
  },
  {
    name: "duplicate key",
    scenario: scenario({ top: "duration: 2m" }),
    expected: ({ file }) => [new RegExp(`^error: ${escapeRegExp(file)}(:\\d+:\\d+)?: YAML syntax error: Map keys must be unique$`)],
  },
  {
    name: "empty file",
    scenario: "",
    expected: [/^error: .*\bempty\b.*$/],
  },
  {
    name: "top-level list instead of a mapping",
    scenario: "- name: api\n- duration: 1m\n",
    expected: ["a scenario must be a mapping of fields (name, functions, workload, ...), got a list of 2 entries"],
  },
  {
    name: "workload given as a mapping instead of a list",
    scenario: scenario().replace("  - function: api\n    arrivals", "  function: api\n  arrivals"),
    expected: ['workload: expected a list, got {"function":"api","arrivals":{"poisson":{"rate":1}}}'],
  },
  // Event sources and asynchronous invocation (issue 3).
  {
    name: "batch size above 10 on a FIFO queue",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, fifo: true, batchSize: 20, visibilityTimeout: 6m }",
    ),
    expected: ["workload[0].batchSize: must be at most 10 for a FIFO queue, got 20"],
  },
  {
    name: "batching window on a FIFO queue",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, fifo: true, batchingWindow: 5s, visibilityTimeout: 6m }",
    ),
    expected: ["workload[0].batchingWindow: must be 0 for a FIFO queue (Lambda does not gather FIFO batches over a window), got 5 s"],
  },
  {
    name: "SQS batch size above 10 without a batching window",
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, batchSize: 100, visibilityTimeout: 6m }"),
    expected: [
      "workload[0].batchSize: 100 needs a batchingWindow of at least 1s (batches larger than 10 are gathered over a window), got batchingWindow 0 s",
    ],
  },
  {
    name: "maximumRecordAge between 0 and 60 s",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, maximumRecordAge: 30s }"),
    expected: ["workload[0].maximumRecordAge: must be -1 (infinite) or between 60s and 7d (604800 s), got 30 s"],
  },
  {
    name: "visibility timeout below the function timeout",
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, visibilityTimeout: 30s }"),
    expected: ["workload[0].visibilityTimeout: must be at least the function's timeout (60 s; AWS recommends 6 x), got 30 s"],
  },
  {
    name: "stream retry attempts below -1",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, maximumRetryAttempts: -2 }"),
    expected: ["workload[0].maximumRetryAttempts: must be -1 (infinite) or a whole number from 0 to 10000, got -2"],
  },
  {
    name: "parallelization factor above 10",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, parallelizationFactor: 11 }"),
    expected: ["workload[0].parallelizationFactor: must be <= 10, got 11"],
  },
  {
    name: "batching window above 300 s",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, batchingWindow: 301s }"),
    expected: ["workload[0].batchingWindow: must be between 0s and 300s, got 301 s"],
  },
  {
    name: "Kinesis retention below 24 h",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, retention: 12h }"),
    expected: ["workload[0].retention: must be between 24h and 8760h, got 43200 s"],
  },
  {
    name: "DynamoDB Streams retention other than 24 h",
    scenario: source("{ function: api, source: dynamodb-streams, records: { poisson: { rate: 1 } }, retention: 48h }"),
    expected: ["workload[0].retention: DynamoDB Streams keep records for 24h, which cannot be changed; got 172800 s"],
  },
  {
    name: "misspelt source",
    scenario: source("{ function: api, source: kinisis, records: { poisson: { rate: 1 } } }"),
    expected: ['workload[0].source: expected "kinesis" | "dynamodb-streams", got "kinisis"'],
  },
  {
    name: "stream entry with arrivals instead of records",
    scenario: source("{ function: api, source: kinesis, arrivals: { poisson: { rate: 1 } } }"),
    expected: [
      /^error: workload\[0\]\.records: required \(expected one of \{ poisson: \{ rate \} \}/,
      /^error: workload\[0\]\.arrivals: unknown field "arrivals"; allowed: function, source, records, shards, /,
    ],
  },
  {
    name: "poison records as a bare list",
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, poisonRecords: [ 5 ] }"),
    expected: [
      "workload[0].poisonRecords: expected { rate } (each record poisoned with that probability) or { records: [n, ...] } (0-based arrival positions), got [5]",
    ],
  },
  {
    name: "maximumConcurrency below 2",
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, maximumConcurrency: 1, visibilityTimeout: 6m }"),
    expected: ["workload[0].maximumConcurrency: must be >= 2, got 1"],
  },
  {
    name: "message groups on a standard queue",
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, messageGroups: 4, visibilityTimeout: 6m }"),
    expected: ["workload[0].messageGroups: applies only to FIFO queues; set fifo: true or remove it"],
  },
  {
    name: "provisioned pollers with maximumConcurrency",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { minimum: 2 }, maximumConcurrency: 50, visibilityTimeout: 6m }",
    ),
    expected: [
      "workload[0].maximumConcurrency: cannot be combined with provisionedPollers (AWS accepts one or the other; in provisioned mode provisionedPollers.maximum caps the mapping), got 50",
    ],
  },
  {
    name: "provisioned pollers' minimum above their maximum",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { minimum: 20, maximum: 10 }, visibilityTimeout: 6m }",
    ),
    expected: ["workload[0].provisionedPollers.minimum: must be at most provisionedPollers.maximum (10), got 20"],
  },
  {
    name: "provisioned pollers' minimum below 2",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { minimum: 1 }, visibilityTimeout: 6m }",
    ),
    expected: ["workload[0].provisionedPollers.minimum: must be >= 2, got 1"],
  },
  {
    name: "provisioned pollers' maximum above 10,000",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { maximum: 20000 }, visibilityTimeout: 6m }",
    ),
    expected: ["workload[0].provisionedPollers.maximum: must be <= 10000, got 20000"],
  },
  {
    name: "provisioned pollers given AWS's names",
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { MinimumPollers: 2 }, visibilityTimeout: 6m }",
    ),
    expected: [
      'workload[0].provisionedPollers.MinimumPollers: unknown field "MinimumPollers" (did you mean "minimum"?); allowed: minimum, maximum',
    ],
  },
  {
    name: "SQS message above 1,024 KB",
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, messageSizeKb: 2048, visibilityTimeout: 6m }"),
    expected: ["workload[0].messageSizeKb: must be <= 1024, got 2048"],
  },
  {
    name: "async retry attempts above 2",
    scenario: source("{ function: api, invocation: async, arrivals: { poisson: { rate: 1 } }, async: { maximumRetryAttempts: 3 } }"),
    expected: ["workload[0].async.maximumRetryAttempts: must be <= 2, got 3"],
  },
  {
    name: "async maximum event age below 60 s",
    scenario: source("{ function: api, invocation: async, arrivals: { poisson: { rate: 1 } }, async: { maximumEventAge: 30s } }"),
    expected: ["workload[0].async.maximumEventAge: must be between 60s and 6h (21600 s), got 30 s"],
  },
  {
    name: "async settings on a synchronous entry",
    scenario: source("{ function: api, arrivals: { poisson: { rate: 1 } }, async: { maximumRetryAttempts: 1 } }"),
    expected: ["workload[0].async: applies only to invocation: async; this entry is invocation: sync"],
  },
  {
    name: "client retries on an asynchronous entry",
    scenario: source("{ function: api, invocation: async, arrivals: { poisson: { rate: 1 } }, client: { retry: sdk-standard } }"),
    expected: [
      "workload[0].client: applies only to invocation: sync; an async invoke is accepted (202) at once and retried by Lambda, see async",
    ],
  },
  {
    name: "unknown invocation type",
    scenario: source("{ function: api, invocation: event, arrivals: { poisson: { rate: 1 } } }"),
    expected: ['workload[0].invocation: expected "sync" | "async", got "event"'],
  },
  {
    name: "error window ending before it starts",
    scenario: scenario({ fn: "    errorWindows: [ { from: 10m, to: 5m } ]" }),
    expected: ["functions[0].errorWindows[0].to: must be later than from (600 s), got 300 s"],
  },
  {
    name: "overlapping error windows",
    scenario: scenario({ fn: "    errorWindows: [ { from: 0, to: 10m }, { from: 5m, to: 20m } ]" }),
    expected: ["functions[0].errorWindows[1].from: must not be before the previous window's end (600 s), got 300 s"],
  },
  ...FEATURE_CASES,
];
