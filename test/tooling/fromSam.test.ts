import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/inputError.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { formatSeconds, fromSam, scheduleInterval } from "../../src/tooling/fromSam.js";

/*
 * `lambdasim from-sam` turns a template into a scenario skeleton: every setting the template fixes
 * must come through exactly, everything else must be a marked placeholder or a warning, and the
 * result must always be a scenario `lambdasim validate` accepts.
 */

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/sam");

function convert(file: string) {
  const result = fromSam(readFileSync(join(FIXTURES, file), "utf8"), file);
  const data = parse(result.yaml) as Record<string, unknown>;
  return { ...result, data };
}

/** Converts an inline template; a function named Fn with the given properties is added unless `resources` is given. */
function convertInline(template: Record<string, unknown> | string, file = "inline.yaml") {
  const text = typeof template === "string" ? template : JSON.stringify(template);
  const result = fromSam(text, file);
  const data = parse(result.yaml) as {
    functions: Record<string, unknown>[];
    workload: Record<string, unknown>[];
    account?: unknown;
    duration: string;
  };
  resolveScenario(data);
  return { ...result, data };
}

const fn = (properties: Record<string, unknown>, type = "AWS::Serverless::Function") => ({ Type: type, Properties: properties });

const DURATION = "100ms";
const poisson = { poisson: { rate: 1 } };

describe("fromSam on realistic templates", () => {
  it("orders-api.yaml: API + SQS workers with Globals, parameters and conditions", () => {
    const { data, warnings } = convert("orders-api.yaml");
    expect(data).toEqual({
      name: "orders-api",
      description:
        "Converted from orders-api.yaml by lambdasim from-sam. Orders service: a REST and HTTP API in front of DynamoDB, and an SQS worker that fulfils orders and a FIFO worker that issues invoices in order.",
      duration: "1h",
      functions: [
        // Runtime, memory, timeout and architecture from Globals.
        { name: "OrdersApiFunction", runtime: "nodejs20.x", architecture: "arm64", memoryMb: 512, timeout: "10s", duration: DURATION },
        // MemorySize !If [IsProd, 2048, 1024] with Stage's default dev; reserved from a parameter's default.
        {
          name: "orders-fulfilment",
          runtime: "python3.9",
          architecture: "arm64",
          memoryMb: 1024,
          timeout: "1m",
          duration: DURATION,
          reservedConcurrency: 50,
        },
        // !If [IsProd, 10, !Ref AWS::NoValue]: no reservation.
        { name: "InvoiceFunction", runtime: "nodejs20.x", architecture: "arm64", memoryMb: 512, timeout: "30s", duration: DURATION },
      ],
      workload: [
        { function: "OrdersApiFunction", invocation: "sync", arrivals: poisson },
        { function: "OrdersApiFunction", invocation: "sync", arrivals: poisson },
        { function: "OrdersApiFunction", invocation: "sync", arrivals: poisson },
        {
          function: "orders-fulfilment",
          source: "sqs",
          messages: poisson,
          batchSize: 50,
          batchingWindow: "5s",
          maximumConcurrency: 20,
          visibilityTimeout: "6m",
          maxReceiveCount: 5,
          messageRetention: "14d",
          reportBatchItemFailures: true,
        },
        // RedrivePolicy given as a JSON string; FIFO queue.
        {
          function: "InvoiceFunction",
          source: "sqs",
          messages: poisson,
          batchSize: 10,
          visibilityTimeout: "3m",
          maxReceiveCount: 3,
          fifo: true,
        },
      ],
    });
    expect(warnings).toEqual([
      'Parameters.Stage: read as its Default "dev"; a deployment may pass another value',
      "Parameters.WorkerReserved: read as its Default 50; a deployment may pass another value",
      "Resources.OrdersApiFunction.Properties.FunctionName: !Sub ${AWS::StackName}-orders-api is not a plain function name; named after its logical id",
      "Resources.FulfilmentFunction.Properties.Runtime: python3.8 has no init measurements (retired or unknown); python3.9's are used",
    ]);
  });

  it("stream-pipeline.yaml: Kinesis and DynamoDB streams, provisioned concurrency on an alias, mappings", () => {
    const { data, warnings } = convert("stream-pipeline.yaml");
    expect(data.functions).toEqual([
      // MemorySize from !FindInMap with Environment's default prod; Timeout from Globals.
      {
        name: "IngestFunction",
        runtime: "java21",
        memoryMb: 2048,
        ephemeralStorageMb: 2048,
        timeout: "2m",
        duration: DURATION,
        reservedConcurrency: 100,
        provisionedConcurrency: 10,
      },
      { name: "AuditFunction", runtime: "python3.12", memoryMb: 256, timeout: "2m", duration: DURATION },
      // provided.al2023 built with cargo-lambda: the Rust init figures.
      {
        name: "clickstream-archiver",
        runtime: "provided.al2023/rust",
        architecture: "arm64",
        memoryMb: 128,
        timeout: "30s",
        duration: DURATION,
      },
    ]);
    expect(data.workload).toEqual([
      {
        function: "IngestFunction",
        source: "kinesis",
        records: poisson,
        shards: 8,
        batchSize: 500,
        batchingWindow: "2s",
        parallelizationFactor: 4,
        maximumRetryAttempts: 3,
        maximumRecordAge: "1h",
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        retention: "2d",
        onFailure: "dlq",
      },
      {
        function: "AuditFunction",
        source: "dynamodb-streams",
        records: poisson,
        shards: 1,
        batchSize: 100,
        maximumRetryAttempts: 5,
        bisectBatchOnFunctionError: true,
        onFailure: "dlq",
      },
      { function: "clickstream-archiver", source: "kinesis", records: poisson, shards: 1, batchSize: 1000, batchingWindow: "1m" },
    ]);
    expect(warnings).toEqual([
      'Parameters.Environment: read as its Default "prod"; a deployment may pass another value',
      "Resources.IngestFunction.Properties.SnapStart: not converted: it cannot be combined with provisioned concurrency; it supports ephemeral storage up to 512 MB, not 2048",
      "Resources.AuditFunction.Properties.Events.TableChanges.Properties.FilterCriteria: records filtered out never reach the function: set the rate to what passes the filter",
      "Resources.ArchiveMapping.Properties.EventSourceArn: !ImportValue !Ref SharedStreamExport cannot be evaluated from the template; StartingPosition marks a stream, Kinesis assumed",
      "Resources.ArchiveMapping.Properties: the stream is not defined in the template: its shard count is a placeholder",
      "Resources.ArchiveMapping.Properties.TumblingWindowInSeconds: not modelled: batches are not grouped into windows",
    ]);
  });

  it("media-events.yaml: S3, SNS, schedules and EventBridge, arm64 and container images", () => {
    const { data, warnings } = convert("media-events.yaml");
    // A daily schedule needs a day to fire.
    expect(data.duration).toBe("1d");
    expect(data.functions).toEqual([
      {
        name: "ThumbnailFunction",
        runtime: "nodejs22.x",
        package: "image",
        architecture: "arm64",
        memoryMb: 3008,
        ephemeralStorageMb: 4096,
        timeout: "1m",
        duration: DURATION,
      },
      { name: "NotifyFunction", runtime: "nodejs22.x", architecture: "arm64", memoryMb: 256, timeout: "30s", duration: DURATION },
      { name: "ReportFunction", runtime: "python3.13", architecture: "arm64", memoryMb: 1024, timeout: "5m", duration: DURATION },
      // The function's own Architectures replaces the global one.
      {
        name: "CleanupFunction",
        runtime: "nodejs22.x",
        package: "image",
        architecture: "x86_64",
        memoryMb: 512,
        timeout: "30s",
        duration: DURATION,
      },
    ]);
    const globalRetries = { maximumRetryAttempts: 2 };
    expect(data.workload).toEqual([
      // The function's EventInvokeConfig merged over the global one.
      {
        function: "ThumbnailFunction",
        invocation: "async",
        arrivals: poisson,
        async: { maximumRetryAttempts: 1, maximumEventAge: "1h", onFailure: "dlq" },
      },
      // DeadLetterQueue: failed events go to the DLQ.
      { function: "NotifyFunction", invocation: "async", arrivals: poisson, async: { maximumRetryAttempts: 2, onFailure: "dlq" } },
      // SqsSubscription: SNS feeds a queue that Lambda polls.
      { function: "NotifyFunction", source: "sqs", messages: poisson, batchSize: 5, visibilityTimeout: "30s" },
      { function: "ReportFunction", invocation: "async", arrivals: { constant: { interval: "15m" } }, async: globalRetries },
      { function: "ReportFunction", invocation: "async", arrivals: { constant: { interval: "1d", start: "150m" } }, async: globalRetries },
      { function: "ReportFunction", invocation: "async", arrivals: { constant: { interval: "1d", start: "9h" } }, async: globalRetries },
      { function: "CleanupFunction", invocation: "async", arrivals: poisson, async: globalRetries },
      { function: "CleanupFunction", invocation: "async", arrivals: poisson, async: globalRetries },
    ]);
    expect(warnings).toEqual([
      "Resources.ThumbnailFunction.Properties: a container image does not declare its language; nodejs22.x assumed for the init time",
      "Resources.CleanupFunction.Properties: a container image does not declare its language; nodejs22.x assumed for the init time",
      "Resources.NotifyFunction.Properties.Events.OrderPlaced.Properties.FilterPolicy: events filtered out never reach the function: set the rate to what passes the filter",
      "Resources.ReportFunction.Properties.Events.Weekdays.Properties: cron(0 9 ? * MON-FRI *) fires on some days only; simulated as firing every day",
      "Resources.ReportFunction.Properties.Events.Legacy.Properties: disabled in the template: no workload entry",
      "Resources.CleanupFunction.Properties.Events.Stream.Properties: MSK event sources are not modelled; no workload entry for MSK event Stream",
    ]);
  });

  it("plain-cloudformation.json: Lambda::Function, alias, mapping, rule, subscription and permission resources", () => {
    const { data, warnings } = convert("plain-cloudformation.json");
    expect(data.functions).toEqual([
      // MemorySize given as the string "1536"; provisioned concurrency on the live alias.
      {
        name: "payments-authorize",
        runtime: "dotnet8",
        memoryMb: 1536,
        timeout: "15s",
        duration: DURATION,
        reservedConcurrency: 200,
        provisionedConcurrency: 25,
      },
      { name: "SettlementFunction", runtime: "java17", memoryMb: 2048, timeout: "15m", duration: DURATION },
    ]);
    expect(data.workload).toEqual([
      { function: "payments-authorize", invocation: "async", arrivals: poisson },
      // The API Gateway permission (on the alias) is the only trace of the API in plain CloudFormation.
      { function: "payments-authorize", invocation: "sync", arrivals: poisson },
      {
        function: "SettlementFunction",
        source: "sqs",
        messages: poisson,
        batchSize: 5,
        maximumConcurrency: 5,
        visibilityTimeout: "15m",
        maxReceiveCount: 3,
      },
      // EventInvokeConfig resource and DeadLetterConfig.
      {
        function: "SettlementFunction",
        invocation: "async",
        arrivals: { constant: { interval: "30m" } },
        async: { maximumRetryAttempts: 0, maximumEventAge: "15m", onFailure: "dlq" },
      },
    ]);
    expect(warnings).toEqual([
      "Resources.SettlementMapping.Properties: the queue's visibility timeout (600 s) is below the function timeout (900 s), which Lambda refuses; raised to 900 s",
    ]);
  });

  const fixtures = ["orders-api.yaml", "stream-pipeline.yaml", "media-events.yaml", "plain-cloudformation.json"];

  it.each(fixtures)("%s converts to a scenario the validator accepts, with its settings in seconds", (file) => {
    const { data } = convert(file);
    const scenario = resolveScenario(data, { defaultName: "x" });
    const functions = data.functions as { name: string; timeout: string }[];
    expect(scenario.functions.map((f) => f.name)).toEqual(functions.map((f) => f.name));
    scenario.functions.forEach((spec, i) => expect(formatSeconds(spec.timeout)).toBe(functions[i].timeout));
  });

  it.each(fixtures)("%s: every placeholder is marked, the notes head the file, and the output is deterministic", (file) => {
    const first = convert(file);
    expect(convert(file).yaml).toBe(first.yaml);
    const lines = first.yaml.split("\n");
    const placeholders = lines.filter((line) => /rate: 1 \}|duration: 100ms|^duration:/.test(line));
    expect(placeholders.length).toBeGreaterThan(0);
    for (const line of placeholders) expect(line).toMatch(/ # placeholder: \S/);
    for (const warning of first.warnings) expect(first.yaml).toContain(`#   - ${warning}\n`);
  });

  it("orders-api.yaml simulates once its placeholders are filled", () => {
    const { data } = convert("orders-api.yaml");
    const result = simulate(resolveScenario({ ...data, duration: "1m" }));
    // Three API entries at 1/s and two queues at 1/s, for 60 s: Poisson counts, 5 sd bounds.
    const [api, fulfilment, invoices] = result.functions.map((f) => f.metrics.arrivals);
    expect(Math.abs(api - 180)).toBeLessThan(5 * Math.sqrt(180));
    expect(Math.abs(fulfilment - 60)).toBeLessThan(5 * Math.sqrt(60));
    expect(Math.abs(invoices - 60)).toBeLessThan(5 * Math.sqrt(60));
  });
});

describe("fromSam details", () => {
  it("maps retired runtimes to their successors and keeps known ones", () => {
    const runtimes = {
      nodejs18: "nodejs18.x",
      py: "python3.8",
      go: "go1.x",
      java: "java8",
      dotnet: "dotnet6",
      ruby: "ruby2.7",
      node: "nodejs22.x",
      custom: "provided.al2",
    };
    const { data, warnings } = convertInline({
      Resources: {
        ...Object.fromEntries(Object.entries(runtimes).map(([id, runtime]) => [id, fn({ Runtime: runtime })])),
        goCustom: { ...fn({ Runtime: "provided.al2" }), Metadata: { BuildMethod: "go1.x" } },
      },
    });
    expect(data.functions.map((f) => f.runtime)).toEqual([
      "nodejs20.x",
      "python3.9",
      "provided.al2023/go",
      "java8.al2",
      "dotnet8",
      "ruby3.2",
      "nodejs22.x",
      "provided.al2",
      "provided.al2/go",
    ]);
    expect(warnings.filter((w) => w.includes("no init measurements"))).toHaveLength(6);
  });

  it("evaluates parameters, mappings, conditions and Sub/Join/Select/Split; skips a function whose condition is false", () => {
    const { data, warnings } = convertInline(`
Parameters:
  Env: { Type: String, Default: staging }
  Sizes: { Type: CommaDelimitedList, Default: "256, 512, 1024" }
Mappings:
  Timeouts: { staging: { Api: 20 } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsStaging: !Not [!Condition IsProd]
  Both: !And [!Condition IsStaging, !Equals [a, a]]
  Either: !Or [!Condition IsProd, !Condition Both]
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "\${Env}-api"
      Runtime: !Join ["", [nodejs, "22", .x]]
      MemorySize: !Select [1, !Ref Sizes]
      Timeout: !FindInMap [Timeouts, !Ref Env, Api]
      ReservedConcurrentExecutions: !If [Either, 5, 50]
      Architectures: !Split [",", arm64]
  ProdOnly:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties: { Runtime: python3.12 }
`);
    expect(data.functions).toEqual([
      {
        name: "staging-api",
        runtime: "nodejs22.x",
        architecture: "arm64",
        memoryMb: 512,
        timeout: "20s",
        duration: DURATION,
        reservedConcurrency: 5,
      },
    ]);
    expect(warnings).toContain("Resources.ProdOnly: not created: its condition IsProd is false with the parameters' defaults");
  });

  it("warns and falls back on values the template does not fix, without crashing", () => {
    const { data, warnings } = convertInline(`
Parameters:
  NoDefault: { Type: Number }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      MemorySize: !Ref NoDefault
      Timeout: 5000
      ReservedConcurrentExecutions: !GetAtt Something.Value
      EphemeralStorage: { Size: !ImportValue shared-size }
      Architectures: [arm64, x86_64]
      Frobnicate: true
      Handler: index.handler
`);
    expect(data.functions).toEqual([{ name: "Fn", runtime: "nodejs22.x", memoryMb: 128, timeout: "3s", duration: DURATION }]);
    expect(warnings).toEqual([
      'Resources.Fn.Properties.Architectures: expected [x86_64] or [arm64], got ["arm64","x86_64"]; x86_64 assumed',
      "Resources.Fn.Properties.MemorySize: !Ref NoDefault cannot be evaluated from the template (parameter NoDefault has no Default); Lambda's default 128 MB assumed",
      "Resources.Fn.Properties.EphemeralStorage.Size: !ImportValue shared-size cannot be evaluated from the template (!ImportValue shared-size depends on the deployment); 512 MB assumed",
      "Resources.Fn.Properties.Timeout: expected a whole number from 1 to 900, got 5000; Lambda's default 3 s assumed",
      "Resources.Fn.Properties.ReservedConcurrentExecutions: !GetAtt Something.Value cannot be evaluated from the template (!GetAtt Something.Value depends on the deployment); no reservation assumed",
      "Resources.Fn.Properties.Frobnicate: not read: the simulator has no counterpart",
    ]);
    // No trigger: invoked directly, a synchronous placeholder.
    expect(data.workload).toEqual([{ function: "Fn", invocation: "sync", arrivals: poisson }]);
  });

  it("keeps concurrency valid: raises the account limit for large reservations, caps provisioned at reserved", () => {
    const { data, warnings } = convertInline({
      Resources: {
        Big: fn({ Runtime: "nodejs22.x", ReservedConcurrentExecutions: 950 }),
        Capped: fn({
          Runtime: "nodejs22.x",
          ReservedConcurrentExecutions: 10,
          AutoPublishAlias: "live",
          ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 20 },
        }),
      },
    });
    expect(data.account).toEqual({ concurrencyLimit: 1060 });
    expect(data.functions[1]).toMatchObject({ reservedConcurrency: 10, provisionedConcurrency: 10 });
    expect(warnings).toEqual([
      "Resources.Capped: provisioned concurrency 20 exceeds the reserved concurrency 10, which Lambda refuses; 10 used",
      "Resources: reserved and provisioned concurrency total 960, more than an account limit of 1000 allows with 100 kept unreserved; account.concurrencyLimit set to 1060",
    ]);
  });

  it("fixes SQS settings Lambda would refuse, and sizes queues it cannot see", () => {
    const { data, warnings } = convertInline({
      Resources: {
        Fifo: fn({
          Runtime: "nodejs22.x",
          Timeout: 20,
          Events: {
            Q: {
              Type: "SQS",
              Properties: { Queue: { "Fn::GetAtt": ["FifoQueue", "Arn"] }, BatchSize: 50, MaximumBatchingWindowInSeconds: 10 },
            },
          },
        }),
        FifoQueue: { Type: "AWS::SQS::Queue", Properties: { FifoQueue: true, VisibilityTimeout: 120 } },
        Wide: fn({
          Runtime: "nodejs22.x",
          Timeout: 40,
          Events: { Q: { Type: "SQS", Properties: { Queue: "arn:aws:sqs:us-east-1:123456789012:elsewhere", BatchSize: 100 } } },
        }),
      },
    });
    expect(data.workload).toEqual([
      { function: "Fifo", source: "sqs", messages: poisson, batchSize: 10, visibilityTimeout: "2m", fifo: true },
      { function: "Wide", source: "sqs", messages: poisson, batchSize: 100, batchingWindow: "1s", visibilityTimeout: "4m" },
    ]);
    expect(warnings).toEqual([
      "Resources.Fifo.Properties.Events.Q.Properties.MaximumBatchingWindowInSeconds: Lambda takes no batching window for a FIFO queue; none used",
      "Resources.Fifo.Properties.Events.Q.Properties.BatchSize: 50 is above the FIFO maximum of 10; 10 used",
      "Resources.Wide.Properties.Events.Q.Properties: the queue is not defined in the template; visibility timeout 4m (AWS's recommended 6 x the function timeout) and SQS's other defaults assumed",
      "Resources.Wide.Properties.Events.Q.Properties.BatchSize: above 10 needs a batching window of at least 1 s, which Lambda requires; 1 s used",
    ]);
  });

  it("reads SQS ProvisionedPollerConfig into provisionedPollers, on an event and on a mapping resource, and the result runs", () => {
    const { data, warnings } = convertInline({
      Resources: {
        Fast: fn({
          Runtime: "nodejs22.x",
          Events: {
            Q: {
              Type: "SQS",
              Properties: {
                Queue: { "Fn::GetAtt": ["Queue", "Arn"] },
                ProvisionedPollerConfig: { MinimumPollers: 10, MaximumPollers: 300 },
                ScalingConfig: { MaximumConcurrency: 50 },
              },
            },
          },
        }),
        Mapped: fn({ Runtime: "nodejs22.x" }, "AWS::Lambda::Function"),
        Queue: { Type: "AWS::SQS::Queue" },
        Mapping: {
          Type: "AWS::Lambda::EventSourceMapping",
          Properties: {
            FunctionName: { Ref: "Mapped" },
            EventSourceArn: { "Fn::GetAtt": ["Queue", "Arn"] },
            ProvisionedPollerConfig: { MinimumPollers: 40, MaximumPollers: 20 },
          },
        },
      },
    });
    expect(data.workload).toEqual([
      { function: "Fast", source: "sqs", messages: poisson, provisionedPollers: { minimum: 10, maximum: 300 }, visibilityTimeout: "30s" },
      { function: "Mapped", source: "sqs", messages: poisson, provisionedPollers: { minimum: 20, maximum: 20 }, visibilityTimeout: "30s" },
    ]);
    expect(warnings).toEqual([
      "Resources.Fast.Properties.Events.Q.Properties.ScalingConfig: Lambda takes MaximumConcurrency or ProvisionedPollerConfig, not both; provisioned mode kept, MaximumConcurrency dropped",
      "Resources.Mapping.Properties.ProvisionedPollerConfig.MinimumPollers: 40 is above MaximumPollers (20), which Lambda refuses; 20 used",
    ]);
    const run = simulate(resolveScenario({ ...data, duration: 60 }));
    expect(run.functions.map((f) => f.sources.sqs?.provisioned)).toEqual([true, true]);
  });

  it("reads triggers defined as their own resources, once per service", () => {
    const arn = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
    const { data, warnings } = convertInline({
      Resources: {
        Fn: fn({ Runtime: "nodejs22.x" }, "AWS::Lambda::Function"),
        Stream: { Type: "AWS::Kinesis::Stream", Properties: { StreamModeDetails: { StreamMode: "ON_DEMAND" } } },
        Consumer: { Type: "AWS::Kinesis::StreamConsumer", Properties: { StreamARN: arn("Stream"), ConsumerName: "c" } },
        Mapping: {
          Type: "AWS::Lambda::EventSourceMapping",
          Properties: { FunctionName: { Ref: "Fn" }, EventSourceArn: arn("Consumer"), StartingPosition: "LATEST" },
        },
        Every10: {
          Type: "AWS::Scheduler::Schedule",
          Properties: {
            ScheduleExpression: "rate(10 minutes)",
            FlexibleTimeWindow: { Mode: "OFF" },
            Target: { Arn: arn("Fn"), RoleArn: "r" },
          },
        },
        Uploads: {
          Type: "AWS::S3::Bucket",
          Properties: { NotificationConfiguration: { LambdaConfigurations: [{ Event: "s3:ObjectCreated:*", Function: arn("Fn") }] } },
        },
        UploadsPermission: {
          Type: "AWS::Lambda::Permission",
          Properties: { FunctionName: { Ref: "Fn" }, Principal: "s3.amazonaws.com", Action: "lambda:InvokeFunction" },
        },
        LogsPermission: {
          Type: "AWS::Lambda::Permission",
          Properties: { FunctionName: "Fn", Principal: "logs.amazonaws.com", Action: "lambda:InvokeFunction" },
        },
        Url: { Type: "AWS::Lambda::Url", Properties: { TargetFunctionArn: arn("Fn"), AuthType: "NONE" } },
        Pattern: {
          Type: "AWS::Events::Rule",
          Properties: {
            EventPattern: { source: ["aws.ec2"] },
            Targets: [
              { Id: "q", Arn: arn("Queue") },
              { Id: "f", Arn: arn("Fn") },
            ],
          },
        },
        Queue: { Type: "AWS::SQS::Queue" },
      },
    });
    expect(data.workload).toEqual([
      { function: "Fn", source: "kinesis", records: poisson, shards: 4 },
      { function: "Fn", invocation: "async", arrivals: { constant: { interval: "10m" } } },
      { function: "Fn", invocation: "async", arrivals: poisson },
      { function: "Fn", invocation: "sync", arrivals: poisson },
      { function: "Fn", invocation: "async", arrivals: poisson },
      { function: "Fn", invocation: "async", arrivals: poisson },
    ]);
    expect(warnings).toEqual([
      "Resources.Mapping.Properties: an enhanced fan-out consumer: records are pushed rather than polled, modelled as polling",
    ]);
  });

  it("gives a function whose only event is not modelled a marked placeholder, so the scenario keeps a workload", () => {
    const { data, warnings } = convertInline({
      Resources: { K: fn({ Runtime: "java21", Events: { S: { Type: "MSK", Properties: {} } } }) },
    });
    expect(data.workload).toEqual([{ function: "K", invocation: "sync", arrivals: poisson }]);
    expect(warnings).toEqual([
      "Resources.K.Properties.Events.S.Properties: MSK event sources are not modelled; no workload entry for MSK event S",
      "Resources: no event source could be converted; every function gets a synchronous placeholder entry",
    ]);
  });

  it("names functions validly and uniquely", () => {
    const { data, warnings } = convertInline({
      Resources: {
        A: fn({ Runtime: "nodejs22.x", FunctionName: "shared" }),
        B: fn({ Runtime: "nodejs22.x", FunctionName: "shared" }),
        C: fn({ Runtime: "nodejs22.x", FunctionName: "has spaces" }),
        ["D".repeat(80)]: fn({ Runtime: "nodejs22.x" }),
      },
    });
    expect(data.functions.map((f) => f.name)).toEqual(["shared", "shared-2", "C", "D".repeat(64)]);
    expect(warnings).toEqual([
      'Resources.B: another function is already named "shared"; named "shared-2"',
      'Resources.C.Properties.FunctionName: "has spaces" is not a plain function name; named after its logical id',
    ]);
  });

  it("parses every intrinsic tag in scalar, sequence and mapping form, and reads unknown tags as plain values", () => {
    const tags = [
      "Ref",
      "Condition",
      "And",
      "Base64",
      "Cidr",
      "Equals",
      "FindInMap",
      "ForEach",
      "GetAtt",
      "GetAZs",
      "If",
      "ImportValue",
      "Join",
      "Length",
      "Not",
      "Or",
      "Select",
      "Split",
      "Sub",
      "ToJsonString",
      "Transform",
    ];
    const forms = tags.flatMap((tag, i) => [`      S${i}: !${tag} x`, `      Q${i}: !${tag} [a, b]`, `      M${i}: !${tag} { a: b }`]);
    const text = [
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Runtime: nodejs22.x",
      "      Description: !Custom hello",
      "      Tags:",
      ...forms.map((line) => `  ${line}`),
    ].join("\n");
    const { warnings } = convertInline(text);
    expect(warnings).toEqual(["inline.yaml:6:20: Unresolved tag: !Custom; read as the plain value"]);
  });

  it("converts schedules to constant intervals, exact where they are and approximated where not", () => {
    expect(scheduleInterval("rate(1 minute)")).toEqual({ interval: 60, start: 0 });
    expect(scheduleInterval("rate(2 days)")).toEqual({ interval: 172800, start: 0 });
    expect(scheduleInterval("cron(0/5 * * * ? *)")).toEqual({ interval: 300, start: 0 });
    expect(scheduleInterval("cron(15 * * * ? *)")).toEqual({ interval: 3600, start: 900 });
    expect(scheduleInterval("cron(0 */6 * * ? *)")).toEqual({ interval: 21600, start: 0 });
    expect(scheduleInterval("cron(10-50/20 8 * * ? *)")).toEqual({
      interval: 28800,
      start: 29400,
      approximation: "fires at uneven times; simulated as one every 8h",
    });
    expect(scheduleInterval("cron(0 9,17 * * ? *)")).toEqual({
      interval: 43200,
      start: 32400,
      approximation: "fires at uneven times; simulated as one every 12h",
    });
    expect(scheduleInterval("cron(0 12 1 * ? *)")).toEqual({
      interval: 86400,
      start: 43200,
      approximation: "fires on some days only; simulated as firing every day",
    });
    expect(scheduleInterval("at(2025-01-01T00:00:00)")).toBe("at(2025-01-01T00:00:00) fires once");
    expect(scheduleInterval("rate(5 fortnights)")).toBe("rate(5 fortnights): expected rate(N minutes|hours|days) with N >= 1");
    expect(scheduleInterval("cron(0 9 * *)")).toBe(
      "cron(0 9 * *): expected six cron fields (minutes hours day-of-month month day-of-week year)",
    );
    expect(scheduleInterval("cron(61 * * * ? *)")).toBe("cron(61 * * * ? *): cannot read its minutes and hours");
    expect(scheduleInterval("every day")).toBe("every day is not a rate(...) or cron(...) expression");
  });
});

describe("fromSam errors", () => {
  function problems(text: string, file = "template.yaml") {
    try {
      fromSam(text, file);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems;
    }
    throw new Error("expected a InputError");
  }

  it("rejects text that is not YAML or JSON, with its position", () => {
    expect(problems("Resources: [\n  a: b\n")[0].message).toMatch(/^template\.yaml:\d+:\d+: YAML syntax error: \S/);
    expect(problems('{"Resources": {', "template.json")[0].message).toMatch(/^template\.json:\d+:\d+: JSON syntax error: \S/);
  });

  it("rejects what is not a template", () => {
    expect(problems("")).toEqual([{ path: "", message: "template.yaml: the template is empty" }]);
    expect(problems("- a\n- b\n")).toEqual([
      { path: "", message: "template.yaml: a CloudFormation or SAM template is a mapping with Resources, got a list of 2 entries" },
    ]);
    expect(problems("name: steady\nworkload: []\n")).toEqual([
      {
        path: "Resources",
        message: "template.yaml: expected a mapping of logical ids to resources, got nothing; is this a CloudFormation or SAM template?",
      },
    ]);
  });

  it("rejects a template without functions, naming the resource types it has", () => {
    expect(problems("Resources:\n  Q: { Type: AWS::SQS::Queue }\n  T: { Type: AWS::SNS::Topic }\n")).toEqual([
      {
        path: "Resources",
        message:
          "template.yaml defines no AWS::Serverless::Function or AWS::Lambda::Function to convert (resource types: AWS::SNS::Topic, AWS::SQS::Queue)",
      },
    ]);
  });

  it("never crashes and always yields a valid scenario, whatever the properties hold", () => {
    const value = fc.oneof(
      fc.constantFrom<unknown>(
        null,
        true,
        "Image",
        "arm64",
        "x86_64",
        "python3.12",
        "rate(5 minutes)",
        "cron(0 * * * ? *)",
        -1,
        0,
        1,
        10,
        300,
        1e6,
        "7",
        [],
        {},
      ),
      fc.constantFrom<unknown>(
        { Ref: "P" },
        { Ref: "AWS::NoValue" },
        { Ref: "Q" },
        { "Fn::GetAtt": ["Q", "Arn"] },
        { "Fn::If": ["C", 5, { Ref: "AWS::NoValue" }] },
        { "Fn::Sub": "${P}" },
        { "Fn::Select": [3, []] },
      ),
      // References to the functions, the shapes triggers take, and a resource that is not one.
      fc.constantFrom<unknown>(
        { Ref: "F1" },
        { "Fn::GetAtt": ["F2", "Arn"] },
        { Ref: "N" },
        "lambda",
        "apigateway.amazonaws.com",
        "sns.amazonaws.com",
        "F1",
        "arn:aws:kinesis:us-east-1:1:stream/s",
      ),
      fc.constantFrom<unknown>(
        [{ Arn: { Ref: "F1" } }],
        { Arn: { Ref: "F2" } },
        { LambdaConfigurations: [{ Function: { Ref: "F1" }, Event: "s3:ObjectCreated:*" }] },
        { ProvisionedConcurrentExecutions: 3 },
      ),
    );
    const props = fc.dictionary(
      fc.constantFrom(
        "Runtime",
        "MemorySize",
        "Timeout",
        "Architectures",
        "PackageType",
        "EphemeralStorage",
        "ReservedConcurrentExecutions",
        "ProvisionedConcurrencyConfig",
        "EventInvokeConfig",
        "FunctionName",
        "SnapStart",
      ),
      value,
    );
    const eventProps = fc.dictionary(
      fc.constantFrom(
        "Queue",
        "Stream",
        "BatchSize",
        "MaximumBatchingWindowInSeconds",
        "ParallelizationFactor",
        "MaximumRetryAttempts",
        "MaximumRecordAgeInSeconds",
        "Schedule",
        "ScheduleExpression",
        "Enabled",
        "ScalingConfig",
        "ProvisionedPollerConfig",
        "SqsSubscription",
        "FunctionResponseTypes",
        "DestinationConfig",
      ),
      value,
    );
    const event = fc.record({
      Type: fc.constantFrom("Api", "SQS", "Kinesis", "DynamoDB", "SNS", "S3", "Schedule", "ScheduleV2", "MSK", "Weird"),
      Properties: eventProps,
    });
    // Triggers defined as resources, every property present, pointing at functions or at anything else.
    const ref = fc.constantFrom<unknown>(
      { Ref: "F1" },
      { "Fn::GetAtt": ["F2", "Arn"] },
      "F1",
      { Ref: "N" },
      { Ref: "Q" },
      { Ref: "P" },
      "arn:aws:kinesis:us-east-1:1:stream/s",
      { "Fn::ImportValue": "x" },
      null,
    );
    const trigger = fc.record({
      Type: fc.constantFrom(
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Alias",
        "AWS::Lambda::Version",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::Url",
        "AWS::Events::Rule",
        "AWS::Scheduler::Schedule",
        "AWS::SNS::Subscription",
        "AWS::S3::Bucket",
        "AWS::Lambda::Permission",
      ),
      Properties: fc.record({
        FunctionName: ref,
        EventSourceArn: ref,
        TargetFunctionArn: ref,
        Endpoint: ref,
        Targets: fc.array(fc.record({ Arn: ref }), { maxLength: 2 }),
        Target: fc.record({ Arn: ref }),
        Protocol: fc.constantFrom("lambda", "sqs"),
        Principal: fc.constantFrom(
          "apigateway.amazonaws.com",
          "sns.amazonaws.com",
          "logs.amazonaws.com",
          "kafka.amazonaws.com",
          "123456789012",
        ),
        NotificationConfiguration: fc.record({
          LambdaConfigurations: fc.array(fc.record({ Function: ref, Event: value }), { maxLength: 2 }),
        }),
        ScheduleExpression: value,
        ProvisionedConcurrencyConfig: fc.record({ ProvisionedConcurrentExecutions: value }),
        BatchSize: value,
        StartingPosition: value,
        State: fc.constantFrom("ENABLED", "DISABLED"),
      }),
    });
    const template = fc.record({
      Parameters: fc.constant({ P: { Type: "Number", Default: 64 } }),
      Conditions: fc.constant({ C: { "Fn::Equals": [{ Ref: "P" }, 64] } }),
      Resources: fc.record({
        F1: fc.record({
          Type: fc.constantFrom("AWS::Serverless::Function", "AWS::Lambda::Function"),
          Properties: fc
            .record({ Events: fc.dictionary(fc.constantFrom("E1", "E2", "E3"), event) })
            .chain((base) => props.map((p) => ({ ...p, ...base }))),
        }),
        F2: fc.record({ Type: fc.constant("AWS::Serverless::Function"), Properties: props }),
        Q: fc.record({
          Type: fc.constant("AWS::SQS::Queue"),
          Properties: fc.dictionary(fc.constantFrom("VisibilityTimeout", "FifoQueue", "RedrivePolicy", "MessageRetentionPeriod"), value),
        }),
        ...Object.fromEntries(["T1", "T2", "T3", "T4", "T5", "T6"].map((id) => [id, trigger])),
        N: fc.constant(null),
      }),
    });
    fc.assert(
      fc.property(template, (t) => {
        const result = fromSam(JSON.stringify(t), "random.json");
        resolveScenario(parse(result.yaml));
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});
