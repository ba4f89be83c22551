import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_RUNTIMES } from "../../src/model/runtimes.js";
import { parseTime, TIME_HELP } from "../../src/scenario/units.js";
import { scenarioJsonSchema } from "../../src/tooling/jsonSchema.js";
import { scenario } from "../cli/badInputCorpus.js";

/*
 * The published JSON Schema must accept every example scenario and reject the structural part of
 * the bad-input corpus (test/cli/badInputCorpus.ts), at the field the CLI names.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

let validate: ReturnType<Ajv["compile"]>;
let schema: Record<string, unknown>;
beforeAll(() => {
  schema = scenarioJsonSchema();
  // strict: unknown keywords or malformed schema parts are errors, not silently ignored.
  const ajv = new Ajv({ strict: true, allErrors: true });
  validate = ajv.compile(schema);
});

function errorsOf(data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

const source = (entry: string) => `duration: 1m\nfunctions:\n  - { name: api, duration: 100ms, timeout: 60 }\nworkload:\n  - ${entry}\n`;

/**
 * Structural cases of the corpus, by their name there, with the JSON pointer the schema must
 * report (the CLI's field path; for a union the pointer of the union itself).
 */
const CHECKED: Record<string, { scenario: string; at: string }> = {
  "time with an unknown unit": { scenario: scenario({ fn: "    timeout: 10 sec" }), at: "/functions/0/timeout" },
  "negative time": { scenario: scenario({ fn: "    timeout: -3s" }), at: "/functions/0/timeout" },
  "negative warm-up": { scenario: scenario({ top: "warmup: -5s" }), at: "/warmup" },
  "fractional prewarmed environments": {
    scenario: scenario({ fn: "    prewarmedEnvironments: 1.5" }),
    at: "/functions/0/prewarmedEnvironments",
  },
  "memory below 128 MB": { scenario: scenario({ fn: "    memoryMb: 100" }), at: "/functions/0/memoryMb" },
  "memory above 10,240 MB": { scenario: scenario({ fn: "    memoryMb: 20000" }), at: "/functions/0/memoryMb" },
  "memory with a unit": { scenario: scenario({ fn: "    memoryMb: 512MB" }), at: "/functions/0/memoryMb" },
  "two problems in one function, one line each": {
    scenario: scenario({ fn: "    memoryMb: 64\n    timeout: 1000s" }),
    at: "/functions/0/memoryMb",
  },
  "misspelt top-level field": { scenario: scenario({ top: "seeed: 3" }), at: "" },
  "misspelt field in a workload entry": { scenario: `${scenario()}    clinet: { retry: sdk-standard }\n`, at: "/workload/0" },
  "misspelt arrival process": { scenario: scenario({ arrivals: "{ posson: { rate: 1 } }" }), at: "/workload/0/arrivals" },
  "misspelt field inside a step": {
    scenario: scenario({ arrivals: "{ steps: [ { at: 0, rte: 1 } ] }" }),
    at: "/workload/0/arrivals/steps/0",
  },
  "function name with a space": {
    scenario:
      'duration: 1m\nfunctions:\n  - { name: "my api", duration: 1s }\nworkload:\n  - function: "my api"\n    arrivals: { poisson: { rate: 1 } }\n',
    at: "/functions/0/name",
  },
  "unknown runtime": { scenario: scenario({ fn: "    runtime: nodejs18.x" }), at: "/functions/0/runtime" },
  "unknown value of an enumerated field": { scenario: `${scenario()}    client: { retry: standard }\n`, at: "/workload/0/client/retry" },
  "function without a duration": {
    scenario: "duration: 1m\nfunctions:\n  - name: api\nworkload:\n  - function: api\n    arrivals: { poisson: { rate: 1 } }\n",
    at: "/functions/0",
  },
  "error rate above 1": { scenario: scenario({ fn: "    errorRate: 1.5" }), at: "/functions/0/errorRate" },
  "negative arrival rate": { scenario: scenario({ arrivals: "{ poisson: { rate: -1 } }" }), at: "/workload/0/arrivals/poisson/rate" },
  // The schema reports the rate; the misspelt function name is a cross reference it cannot see.
  "a schema error and a reference error at once: both are listed, not the second only after the first is fixed": {
    scenario: scenario({ arrivals: "{ poisson: { rate: -1 } }" }).replace("  - function: api", "  - function: apl"),
    at: "/workload/0/arrivals/poisson/rate",
  },
  "empty workload": { scenario: "duration: 1m\nfunctions:\n  - { name: api, duration: 1s }\nworkload: []\n", at: "/workload" },
  "azure trace with an invalid name prefix": {
    scenario: 'workload:\n  - trace: { file: ok.csv, format: azure-functions-2021, namePrefix: "a b" }\n',
    at: "/workload/0/trace/namePrefix",
  },
  "invalid field in a .json file": {
    scenario: JSON.stringify({
      duration: "1m",
      functions: [{ name: "api", duration: "100ms", memoryMb: 100 }],
      workload: [{ function: "api", arrivals: { poisson: { rate: 1 } } }],
    }),
    at: "/functions/0/memoryMb",
  },
  "empty file": { scenario: "", at: "" },
  "top-level list instead of a mapping": { scenario: "- name: api\n- duration: 1m\n", at: "" },
  "workload given as a mapping instead of a list": {
    scenario: scenario().replace("  - function: api\n    arrivals", "  function: api\n  arrivals"),
    at: "/workload",
  },
  "misspelt source": { scenario: source("{ function: api, source: kinisis, records: { poisson: { rate: 1 } } }"), at: "/workload/0" },
  "stream entry with arrivals instead of records": {
    scenario: source("{ function: api, source: kinesis, arrivals: { poisson: { rate: 1 } } }"),
    at: "/workload/0",
  },
  "poison records as a bare list": {
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, poisonRecords: [ 5 ] }"),
    at: "/workload/0/poisonRecords",
  },
  "parallelization factor above 10": {
    scenario: source("{ function: api, source: kinesis, records: { poisson: { rate: 1 } }, parallelizationFactor: 11 }"),
    at: "/workload/0/parallelizationFactor",
  },
  "maximumConcurrency below 2": {
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, maximumConcurrency: 1, visibilityTimeout: 6m }"),
    at: "/workload/0/maximumConcurrency",
  },
  "provisioned pollers' minimum below 2": {
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { minimum: 1 }, visibilityTimeout: 6m }",
    ),
    at: "/workload/0/provisionedPollers/minimum",
  },
  "provisioned pollers' maximum above 10,000": {
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { maximum: 20000 }, visibilityTimeout: 6m }",
    ),
    at: "/workload/0/provisionedPollers/maximum",
  },
  "provisioned pollers given AWS's names": {
    scenario: source(
      "{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, provisionedPollers: { MinimumPollers: 2 }, visibilityTimeout: 6m }",
    ),
    at: "/workload/0/provisionedPollers",
  },
  "SQS message above 1,024 KB": {
    scenario: source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, messageSizeKb: 2048, visibilityTimeout: 6m }"),
    at: "/workload/0/messageSizeKb",
  },
  "async retry attempts above 2": {
    scenario: source("{ function: api, invocation: async, arrivals: { poisson: { rate: 1 } }, async: { maximumRetryAttempts: 3 } }"),
    at: "/workload/0/async/maximumRetryAttempts",
  },
  "unknown invocation type": {
    scenario: source("{ function: api, invocation: event, arrivals: { poisson: { rate: 1 } } }"),
    at: "/workload/0/invocation",
  },
};

const CROSS_FIELD = "compares fields with each other or with the account, which JSON Schema cannot express";
const TIME_RANGE = 'the range of a time is checked on seconds after parsing "30s"; JSON Schema sees only the string';
const REFINEMENT =
  "the bound lives in a zod refinement, which schema generation cannot read (stating it again here would be a second source)";
const ORDER = "compares list entries with their neighbours, which JSON Schema cannot express";
const CROSS_REFERENCE = "refers to another part of the scenario (a function name, uniqueness of names), which JSON Schema cannot express";
const FILE = "concerns a trace file's contents, not the scenario's structure";
const SYNTAX = "the file does not parse, so there is nothing to validate: the editor's own parser reports it";

/** Corpus cases a JSON Schema cannot reject, and why. */
const SKIPPED: Record<string, string> = {
  "timeout below 1 s": TIME_RANGE,
  "timeout above 900 s": TIME_RANGE,
  "maximumRecordAge between 0 and 60 s": TIME_RANGE,
  "batching window above 300 s": TIME_RANGE,
  "Kinesis retention below 24 h": TIME_RANGE,
  "async maximum event age below 60 s": TIME_RANGE,
  "stream retry attempts below -1": REFINEMENT,
  "reserved concurrency above what may be reserved": CROSS_FIELD,
  "reserved concurrency of two functions together above the pool": CROSS_FIELD,
  "provisioned concurrency above reserved concurrency": CROSS_FIELD,
  "provisioned concurrency of unreserved functions above the pool": CROSS_FIELD,
  "more prewarmed environments than the reservation leaves": CROSS_FIELD,
  "warm-up as long as the duration": CROSS_FIELD,
  "lognormal p99 below its median": CROSS_FIELD,
  "uniform max below min": CROSS_FIELD,
  "diurnal peak above twice the mean": CROSS_FIELD,
  "generated arrivals without a scenario duration": CROSS_FIELD,
  "batch size above 10 on a FIFO queue": CROSS_FIELD,
  "batching window on a FIFO queue": CROSS_FIELD,
  "SQS batch size above 10 without a batching window": CROSS_FIELD,
  "visibility timeout below the function timeout": CROSS_FIELD,
  "DynamoDB Streams retention other than 24 h": CROSS_FIELD,
  "message groups on a standard queue": CROSS_FIELD,
  "provisioned pollers with maximumConcurrency": CROSS_FIELD,
  "provisioned pollers' minimum above their maximum": CROSS_FIELD,
  "async settings on a synchronous entry": CROSS_FIELD,
  "client retries on an asynchronous entry": CROSS_FIELD,
  "error window ending before it starts": CROSS_FIELD,
  "provisioned concurrency schedule out of order": ORDER,
  "steps not in increasing order": ORDER,
  "overlapping error windows": ORDER,
  "workload naming a function that is not defined": CROSS_REFERENCE,
  "duplicate function names": CROSS_REFERENCE,
  "missing timestamps trace file": FILE,
  "timestamps trace with a non-numeric timestamp": FILE,
  "timestamps trace with decreasing timestamps": FILE,
  "timestamps trace with no timestamps": FILE,
  "azure trace with the wrong header": FILE,
  "azure trace with a 3-column row": FILE,
  "azure trace with a negative duration": FILE,
  "azure trace as arrivals, filtered to an app it does not contain": FILE,
  "trace file that is a folder": FILE,
  "YAML syntax error": SYNTAX,
  "JSON syntax error in a .json file": SYNTAX,
  "duplicate key": SYNTAX,
};

/** Every named property in a JSON Schema, at any depth and in every branch, by its JSON pointer. */
function propertiesOf(node: unknown, pointer = ""): Array<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) return node.flatMap((item, i) => propertiesOf(item, `${pointer}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  const found: Array<[string, Record<string, unknown>]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" || key === "definitions") {
      for (const [name, property] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        const at = `${pointer}/${key}/${name}`;
        if (key === "properties") found.push([at, property]);
        found.push(...propertiesOf(property, at));
      }
    } else if (["items", "anyOf", "oneOf", "allOf", "additionalProperties", "not"].includes(key)) {
      found.push(...propertiesOf(value, `${pointer}/${key}`));
    }
  }
  return found;
}

describe("scenarioJsonSchema", () => {
  it("is a valid draft-07 schema with a title and description", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.title).toBe("lambdasim scenario");
    expect(String(schema.description)).toContain("lambdasim validate");
    expect(new Ajv().validateSchema(schema)).toBe(true);
  });

  const examples = readdirSync(join(ROOT, "scenarios"))
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  it("has example scenarios to check", () => expect(examples.length).toBeGreaterThanOrEqual(5));
  it.each(examples)("accepts scenarios/%s", (file) => {
    // merge: the loader resolves YAML "<<" merge keys, so the schema sees the same data.
    const data: unknown = parse(readFileSync(join(ROOT, "scenarios", file), "utf8"), { merge: true });
    expect(errorsOf(data)).toEqual([]);
  });

  it("accepts the corpus's valid base scenarios", () => {
    expect(errorsOf(parse(scenario()))).toEqual([]);
    expect(errorsOf(parse(source("{ function: api, source: sqs, messages: { poisson: { rate: 1 } }, visibilityTimeout: 6m }")))).toEqual(
      [],
    );
  });

  it("classifies every case of the bad-input corpus as checked or skipped with a reason", () => {
    const corpus = readFileSync(join(ROOT, "test/cli/badInputCorpus.ts"), "utf8");
    const names = [...corpus.matchAll(/^ {4}name: "(.+)",$/gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThanOrEqual(60);
    const unclassified = names.filter((name) => !(name in CHECKED) && !(name in SKIPPED));
    expect(unclassified, "new bad-input cases: add them to CHECKED or SKIPPED").toEqual([]);
    const stale = [...Object.keys(CHECKED), ...Object.keys(SKIPPED)].filter((name) => !names.includes(name));
    expect(stale, "cases no longer in the corpus").toEqual([]);
  });

  it.each(Object.entries(CHECKED))("rejects %s", (_name, { scenario: text, at }) => {
    const errors = errorsOf(parse(text) ?? null);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.instancePath)).toContain(at);
  });

  it("agrees with the validator on what a time is", () => {
    const samples: unknown[] = [
      "250ms",
      "30s",
      "10m",
      "2h",
      "1d",
      "1.5s",
      ".5s",
      " 3s ",
      "0",
      0,
      2.5,
      "10 sec",
      "-3s",
      -1,
      "3",
      "1e3s",
      "5 m",
      "h",
      "",
    ];
    for (const value of samples) {
      const data = parse(scenario().replace("duration: 100ms", `duration: ${JSON.stringify(value)}`));
      expect(errorsOf(data).length === 0, `duration ${JSON.stringify(value)}`).toBe(parseTime(value) !== undefined);
    }
  });

  it("lists exactly the known runtimes and shows defaults of transformed fields", () => {
    const functionProps = (schema.properties as Record<string, { items: { properties: Record<string, Record<string, unknown>> } }>)
      .functions.items.properties;
    expect(functionProps.runtime.enum).toEqual([...KNOWN_RUNTIMES]);
    expect(functionProps.runtime.default).toBe("nodejs22.x");
    expect(functionProps.timeout.default).toBe(3);
    expect(functionProps.memoryMb.default).toBe(128);
  });

  it("describes every field, at every depth and in every branch, for editors' hover help", () => {
    const properties = propertiesOf(schema);
    // The walk must reach into list items and union branches (workload entries, arrival forms, distributions).
    expect(properties.length).toBeGreaterThan(200);
    expect(properties.map(([at]) => at)).toContain("/properties/workload/items/anyOf/2/properties/visibilityTimeout");
    expect(properties.map(([at]) => at)).toContain(
      "/properties/functions/items/properties/duration/anyOf/3/properties/lognormal/anyOf/1/properties/sd",
    );
    // A time without a description of its own shows the generic time help, which says nothing of the field.
    const undescribed = properties
      .filter(
        ([, property]) =>
          typeof property.description !== "string" || property.description.trim() === "" || property.description === TIME_HELP,
      )
      .map(([at]) => at);
    expect(undescribed, "add .meta({ description }) to these fields in src/scenario/schema.ts").toEqual([]);
  });

  it("has only fields that the README's scenario reference names", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## Scenario reference");
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const documented = new Set([...section.matchAll(/`([^`]*)`/g)].flatMap((match) => match[1].match(/[A-Za-z][\w-]*/g) ?? []));
    const names = [...new Set(propertiesOf(schema).map(([at]) => at.slice(at.lastIndexOf("/") + 1)))];
    expect(
      names.filter((name) => !documented.has(name)),
      "document these fields in README.md's Scenario reference",
    ).toEqual([]);
  });
});
