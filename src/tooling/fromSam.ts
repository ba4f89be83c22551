import { basename, extname } from "node:path";
import { Document, isMap, isNode, isScalar, type Node } from "yaml";
import { KNOWN_RUNTIMES } from "../model/runtimes.js";
import { describeValue, ScenarioError } from "../scenario/errors.js";
import { functionSchema, scenarioSchema } from "../scenario/schema.js";
import { isObject, NO_VALUE, parseTemplate, showIntrinsic, TemplateEvaluator, Unresolved, type Json, type JsonObject } from "./cloudFormation.js";

/*
 * `lambdasim from-sam`: a SAM or CloudFormation template's functions and event sources as a
 * scenario skeleton. A template fixes the configuration (memory, timeout, runtime, concurrency,
 * mapping and queue settings) but not the handler times or the traffic: those are written as
 * marked placeholders, and everything the converter could not read or had to assume is returned
 * as a warning (and repeated at the top of the scenario).
 */

export interface SamConversion {
  /** The scenario, as commented YAML that `lambdasim validate` accepts. */
  yaml: string;
  warnings: string[];
}

// Placeholders: valid values that keep the skeleton runnable, each marked in the output.
/** One unit per second: visibly arbitrary and easy to scale to the real rate. */
const PLACEHOLDER_RATE = 1;
const PLACEHOLDER_DURATION = "100ms";
/** Simulated span unless a schedule needs longer to fire at least once. */
const PLACEHOLDER_SPAN_SECONDS = 3600;

/** Lambda's own defaults, used when a template leaves a property out (they equal the scenario's). */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_TIMEOUT_S = 3;
/** SQS's default visibility timeout, and the multiple of the function timeout AWS recommends. */
const SQS_DEFAULT_VISIBILITY_S = 30;
const RECOMMENDED_VISIBILITY_FACTOR = 6;
const SQS_MAX_VISIBILITY_S = 43200;
/** An on-demand Kinesis stream starts with 4 shards. */
const ON_DEMAND_INITIAL_SHARDS = 4;
/** The account the scenario assumes unless reservations need a larger one. */
const ACCOUNT_DEFAULTS = scenarioSchema.shape.account.parse(undefined);

/** The scenario's default runtime, for functions whose runtime the template does not fix. */
const DEFAULT_RUNTIME: string = functionSchema.shape.runtime.parse(undefined);

const FUNCTION_TYPES = new Set(["AWS::Serverless::Function", "AWS::Lambda::Function"]);

/** Function properties that change nothing the simulator models (code, permissions, logging, networking). */
const IGNORED_FUNCTION_PROPERTIES = new Set([
  "AssumeRolePolicyDocument", "AutoPublishAliasAllProperties", "AutoPublishCodeSha256", "Code", "CodeSigningConfigArn",
  "CodeUri", "DeploymentPreference", "Description", "Environment", "FileSystemConfigs", "Handler", "ImageConfig",
  "ImageUri", "InlineCode", "KmsKeyArn", "Layers", "LoggingConfig", "PermissionsBoundary", "Policies", "PropagateTags",
  "Role", "RolePath", "RuntimeManagementConfig", "RecursiveLoop", "SourceKMSKeyArn", "Tags", "Tracing", "TracingConfig",
  "VersionDescription", "VpcConfig",
]);

/** Event source mapping properties that are read, or change nothing the simulator models (where reading starts, encryption, tags). */
const KNOWN_MAPPING_PROPERTIES = new Set([
  "BatchSize", "BisectBatchOnFunctionError", "DestinationConfig", "Enabled", "EventSourceArn", "FilterCriteria",
  "FunctionName", "FunctionResponseTypes", "KmsKeyArn", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds",
  "MaximumRetryAttempts", "MetricsConfig", "ParallelizationFactor", "ProvisionedPollerConfig", "ScalingConfig",
  "StartingPosition", "StartingPositionTimestamp", "Tags", "TumblingWindowInSeconds",
]);

/** Function properties that are read. */
const READ_FUNCTION_PROPERTIES = new Set([
  "Architectures", "AutoPublishAlias", "DeadLetterConfig", "DeadLetterQueue", "EphemeralStorage", "EventInvokeConfig",
  "Events", "FunctionName", "FunctionUrlConfig", "MemorySize", "PackageType", "ProvisionedConcurrencyConfig",
  "ReservedConcurrentExecutions", "Runtime", "SnapStart", "Timeout",
]);

/** Custom-runtime build methods (SAM Metadata.BuildMethod) whose language has its own init figures. */
const BUILD_METHOD_LANGUAGES: Record<string, string> = { "go1.x": "go", "rust-cargolambda": "rust" };

/** Retired runtimes whose successor is not the nearest version of the same name. */
const RENAMED_RUNTIMES: Record<string, string> = { "go1.x": "provided.al2023/go", provided: "provided.al2", java8: "java8.al2" };

/** The AWS service behind each push-based SAM event type, as named in a Lambda permission's principal. */
const EVENT_SERVICES: Record<string, string> = {
  Api: "apigateway", HttpApi: "apigateway", S3: "s3", SNS: "sns", CloudWatchEvent: "events", EventBridgeRule: "events",
  Schedule: "events", ScheduleV2: "scheduler", CloudWatchLogs: "logs", IoTRule: "iot", Cognito: "cognito-idp", AlexaSkill: "alexa-appkit",
};

/** Event sources by resource type: what a mapping's EventSourceArn refers to. */
const SOURCE_RESOURCE_TYPES: Record<string, "sqs" | "kinesis" | "dynamodb-streams"> = {
  "AWS::SQS::Queue": "sqs",
  "AWS::Kinesis::Stream": "kinesis",
  "AWS::Kinesis::StreamConsumer": "kinesis",
  "AWS::DynamoDB::Table": "dynamodb-streams",
  "AWS::DynamoDB::GlobalTable": "dynamodb-streams",
};

type Invocation = "sync" | "async";

interface AsyncConfig {
  maximumRetryAttempts?: number;
  maximumEventAge?: string;
  onFailure?: "dlq";
}

interface FunctionDraft {
  logicalId: string;
  type: string;
  name: string;
  fields: JsonObject;
  /** Comments for some fields, by field name. */
  notes: Record<string, string>;
  timeoutSeconds: number;
  asyncConfig: AsyncConfig;
  /** Provisioned concurrency and where each part was configured. */
  provisioned: { value: number; where: string }[];
  /** Whether the template gives the function any trigger, converted or not. */
  triggered: boolean;
  /** AWS services already found invoking it (SAM events, buckets, subscriptions, rules): their permissions add nothing. */
  services: Set<string>;
}

interface WorkloadDraft {
  functionIndex: number;
  /** Where the entry comes from, written above it. */
  origin: string;
  entry: JsonObject;
  notes: Record<string, string>;
  /** Whether the function's asynchronous-invocation settings apply. */
  async: boolean;
}

/** Converts a SAM or CloudFormation template (YAML or JSON) into a scenario skeleton. */
export function fromSam(templateText: string, fileName: string): SamConversion {
  const { template, warnings: parseWarnings } = parseTemplate(templateText, fileName);
  return new SamConverter(template, fileName, parseWarnings).convert();
}

class SamConverter {
  private readonly evaluator: TemplateEvaluator;
  private readonly resources: JsonObject;
  private readonly globals: JsonObject;
  private readonly warnings: string[] = [];
  private readonly functions: FunctionDraft[] = [];
  private readonly functionByLogicalId = new Map<string, number>();
  private readonly workload: WorkloadDraft[] = [];
  private longestScheduleInterval = 0;

  constructor(
    private readonly template: JsonObject,
    private readonly fileName: string,
    private readonly parseWarnings: string[],
  ) {
    this.evaluator = new TemplateEvaluator(template);
    this.resources = template.Resources as JsonObject;
    const globals = isObject(template.Globals) ? template.Globals.Function : undefined;
    this.globals = isObject(globals) ? globals : {};
  }

  convert(): SamConversion {
    for (const [id, resource] of Object.entries(this.resources)) {
      if (isObject(resource) && FUNCTION_TYPES.has(String(resource.Type))) this.addFunction(id, resource);
    }
    if (this.functions.length === 0) {
      const types = [...new Set(Object.values(this.resources).map((r) => (isObject(r) ? String(r.Type) : "?")))].sort();
      throw new ScenarioError([
        {
          path: "Resources",
          message: `${this.fileName} defines no AWS::Serverless::Function or AWS::Lambda::Function to convert (resource types: ${types.length > 0 ? types.join(", ") : "none"})`,
        },
      ]);
    }
    this.functions.forEach((_, index) => this.addFunctionEvents(index));
    for (const [id, resource] of Object.entries(this.resources)) {
      if (isObject(resource)) this.addResourceTrigger(id, resource);
    }
    for (const [id, resource] of Object.entries(this.resources)) {
      if (isObject(resource) && resource.Type === "AWS::Lambda::Permission") this.addPermission(id, resource);
    }
    this.addDirectInvocations();
    const account = this.settleConcurrency();
    const parameterWarnings = [...this.evaluator.defaultsUsed].map(
      ([name, value]) => `Parameters.${name}: read as its Default ${describeValue(value)}; a deployment may pass another value`,
    );
    const warnings = [...this.parseWarnings, ...parameterWarnings, ...this.warnings];
    return { yaml: this.render(account, warnings), warnings };
  }

  // ----- reading values -----

  private warn(path: string, message: string): void {
    this.warnings.push(`${path}: ${message}`);
  }

  /** A property's value with intrinsics evaluated; undefined (with a warning) when the template does not fix it. */
  private read(props: JsonObject, key: string, path: string, otherwise: string): Json | undefined {
    const raw = props[key];
    const value = this.evaluator.evaluate(raw);
    if (value === NO_VALUE || value === undefined) return undefined;
    if (value instanceof Unresolved) {
      this.warn(`${path}.${key}`, `${showIntrinsic(raw as Json)} cannot be evaluated from the template (${value.reason}); ${otherwise}`);
      return undefined;
    }
    return value;
  }

  private readObject(props: JsonObject, key: string, path: string): JsonObject {
    const value = this.read(props, key, path, "ignored");
    if (value === undefined) return {};
    if (isObject(value)) return value;
    // SQS accepts a RedrivePolicy written as a JSON string.
    if (typeof value === "string") {
      try {
        const parsed: unknown = JSON.parse(value);
        if (isObject(parsed)) return parsed;
      } catch {
        // reported below
      }
    }
    this.warn(`${path}.${key}`, `expected a mapping, got ${describeValue(value)}; ignored`);
    return {};
  }

  private readInteger(props: JsonObject, key: string, path: string, min: number, max: number, otherwise: string): number | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
      const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
      this.warn(`${path}.${key}`, `expected a whole number ${range}, got ${describeValue(value)}; ${otherwise}`);
      return undefined;
    }
    return number;
  }

  private readBoolean(props: JsonObject, key: string, path: string, otherwise: string): boolean | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    this.warn(`${path}.${key}`, `expected true or false, got ${describeValue(value)}; ${otherwise}`);
    return undefined;
  }

  private readString(props: JsonObject, key: string, path: string, otherwise: string): string | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    if (typeof value === "string") return value;
    this.warn(`${path}.${key}`, `expected a string, got ${describeValue(value)}; ${otherwise}`);
    return undefined;
  }

  // ----- functions -----

  private addFunction(id: string, resource: JsonObject): void {
    const path = `Resources.${id}`;
    const type = String(resource.Type);
    if (typeof resource.Condition === "string") {
      const holds = this.evaluator.condition(resource.Condition);
      if (holds === false) {
        this.warn(path, `not created: its condition ${resource.Condition} is false with the parameters' defaults`);
        return;
      }
      if (holds === undefined) this.warn(path, `created only when condition ${resource.Condition} holds, which depends on the deployment; converted`);
    }
    const own = isObject(resource.Properties) ? resource.Properties : {};
    const serverless = type === "AWS::Serverless::Function";
    const props = serverless ? mergeGlobals(this.globals, own) : own;
    const at = `${path}.Properties`;
    const fields: JsonObject = {};
    const notes: Record<string, string> = {};

    fields.name = this.functionName(id, props, at);
    const image = this.readString(props, "PackageType", at, "taken as Zip") === "Image";
    const runtime = this.runtime(props, at, image, isObject(resource.Metadata) ? resource.Metadata : {});
    fields.runtime = runtime.value;
    if (runtime.note) notes.runtime = runtime.note;
    if (image) fields.package = "image";
    const architectures = this.read(props, "Architectures", at, "x86_64 assumed");
    if (architectures !== undefined) {
      const first = Array.isArray(architectures) && architectures.length === 1 ? this.evaluator.evaluate(architectures[0]) : undefined;
      if (first === "arm64" || first === "x86_64") fields.architecture = first;
      else this.warn(`${at}.Architectures`, `expected [x86_64] or [arm64], got ${describeValue(architectures)}; x86_64 assumed`);
    }
    const memory = this.readInteger(props, "MemorySize", at, 128, 10240, `Lambda's default ${LAMBDA_DEFAULT_MEMORY_MB} MB assumed`);
    fields.memoryMb = memory ?? LAMBDA_DEFAULT_MEMORY_MB;
    if (memory === undefined) notes.memoryMb = `Lambda's default: the template ${"MemorySize" in props ? "gives no usable" : "does not set"} MemorySize`;
    const storage = this.readObject(props, "EphemeralStorage", at);
    const storageMb = this.readInteger(storage, "Size", `${at}.EphemeralStorage`, 512, 10240, "512 MB assumed");
    if (storageMb !== undefined) fields.ephemeralStorageMb = storageMb;
    const timeout = this.readInteger(props, "Timeout", at, 1, 900, `Lambda's default ${LAMBDA_DEFAULT_TIMEOUT_S} s assumed`);
    fields.timeout = formatSeconds(timeout ?? LAMBDA_DEFAULT_TIMEOUT_S);
    if (timeout === undefined) notes.timeout = `Lambda's default: the template ${"Timeout" in props ? "gives no usable" : "does not set"} Timeout`;
    fields.duration = PLACEHOLDER_DURATION;
    notes.duration = "placeholder: the handler time, e.g. { lognormal: { median, p99 } } from CloudWatch's Duration metric";
    const reserved = this.readInteger(props, "ReservedConcurrentExecutions", at, 0, Infinity, "no reservation assumed");
    if (reserved !== undefined) fields.reservedConcurrency = reserved;

    const provisioned: FunctionDraft["provisioned"] = [];
    if (serverless && props.ProvisionedConcurrencyConfig !== undefined) {
      const config = this.readObject(props, "ProvisionedConcurrencyConfig", at);
      const value = this.readInteger(config, "ProvisionedConcurrentExecutions", `${at}.ProvisionedConcurrencyConfig`, 0, Infinity, "none assumed");
      const alias = this.readString(props, "AutoPublishAlias", at, "no alias");
      if (alias === undefined) this.warn(`${at}.ProvisionedConcurrencyConfig`, "SAM applies it only with AutoPublishAlias; read anyway");
      if (value !== undefined) provisioned.push({ value, where: alias ? `alias ${alias}` : "ProvisionedConcurrencyConfig" });
    }

    const asyncConfig: AsyncConfig = {};
    if (serverless) {
      this.readEventInvokeConfig(this.readObject(props, "EventInvokeConfig", at), `${at}.EventInvokeConfig`, asyncConfig);
      if (props.DeadLetterQueue !== undefined) asyncConfig.onFailure = "dlq";
    } else if (props.DeadLetterConfig !== undefined) {
      asyncConfig.onFailure = "dlq";
    }
    const snapStart = this.readObject(props, "SnapStart", at);
    if (snapStart.ApplyOn !== undefined && snapStart.ApplyOn !== "None") {
      this.warn(`${at}.SnapStart`, "not modelled: cold starts take the runtime's full measured init, not a snapshot restore; set init to your restore times");
    }
    for (const key of Object.keys(props)) {
      if (!READ_FUNCTION_PROPERTIES.has(key) && !IGNORED_FUNCTION_PROPERTIES.has(key)) this.warn(`${at}.${key}`, "not read: the simulator has no counterpart");
    }

    this.functionByLogicalId.set(id, this.functions.length);
    this.functions.push({
      logicalId: id,
      type,
      name: String(fields.name),
      fields,
      notes,
      timeoutSeconds: timeout ?? LAMBDA_DEFAULT_TIMEOUT_S,
      asyncConfig,
      provisioned,
      triggered: false,
      services: new Set(),
    });
  }

  /** The FunctionName when it is a plain valid name, else the logical id; unique either way. */
  private functionName(id: string, props: JsonObject, at: string): string {
    let name: string | undefined;
    if (props.FunctionName !== undefined) {
      const value = this.evaluator.evaluate(props.FunctionName);
      if (typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value)) name = value;
      else {
        const shown = value instanceof Unresolved ? showIntrinsic(props.FunctionName) : describeValue(value);
        this.warn(`${at}.FunctionName`, `${shown} is not a plain function name; named after its logical id`);
      }
    }
    // Logical ids are alphanumeric; only their length can exceed a function name's.
    const base = (name ?? id).slice(0, 64);
    const taken = new Set(this.functions.map((f) => f.name));
    let unique = base;
    for (let n = 2; taken.has(unique); n++) unique = `${base.slice(0, 64 - String(n).length - 1)}-${n}`;
    if (unique !== base) this.warn(`Resources.${id}`, `another function is already named "${base}"; named "${unique}"`);
    return unique;
  }

  private runtime(props: JsonObject, at: string, image: boolean, metadata: JsonObject): { value: string; note?: string } {
    const fallback = DEFAULT_RUNTIME;
    const written = this.readString(props, "Runtime", at, `${fallback} assumed`);
    if (written === undefined) {
      if (image) {
        this.warn(at, `a container image does not declare its language; ${fallback} assumed for the init time`);
        return { value: fallback, note: "placeholder: the image's language (it selects the measured cold-start time)" };
      }
      if (!("Runtime" in props)) this.warn(`${at}.Runtime`, `not set; ${fallback} assumed`);
      return { value: fallback, note: "placeholder: the template does not fix the runtime" };
    }
    if (written.startsWith("provided")) {
      const language = BUILD_METHOD_LANGUAGES[String(metadata.BuildMethod)];
      const base = written === "provided" ? "provided.al2" : written;
      if (language && KNOWN_RUNTIMES.includes(`${base}/${language}`)) {
        return { value: `${base}/${language}`, note: `built with ${String(metadata.BuildMethod)} (Metadata.BuildMethod)` };
      }
    }
    if (KNOWN_RUNTIMES.includes(written)) return { value: written };
    const successor = RENAMED_RUNTIMES[written] ?? nearestVersion(written);
    if (successor) {
      this.warn(`${at}.Runtime`, `${written} has no init measurements (retired or unknown); ${successor}'s are used`);
      return { value: successor, note: `the template says ${written}` };
    }
    this.warn(`${at}.Runtime`, `unknown runtime ${JSON.stringify(written)}; ${fallback} assumed`);
    return { value: fallback, note: `placeholder: the template says ${written}` };
  }

  private readEventInvokeConfig(config: JsonObject, at: string, into: AsyncConfig): void {
    const retries = this.readInteger(config, "MaximumRetryAttempts", at, 0, 2, "Lambda's default 2 assumed");
    if (retries !== undefined) into.maximumRetryAttempts = retries;
    const age = this.readInteger(config, "MaximumEventAgeInSeconds", at, 60, 21600, "Lambda's default 6h assumed");
    if (age !== undefined) into.maximumEventAge = formatSeconds(age);
    const destinations = this.readObject(config, "DestinationConfig", at);
    if (destinations.OnFailure !== undefined) into.onFailure = "dlq";
  }

  // ----- SAM events -----

  private addFunctionEvents(index: number): void {
    const fn = this.functions[index];
    const resource = this.resources[fn.logicalId] as JsonObject;
    const own = isObject(resource.Properties) ? resource.Properties : {};
    const at = `Resources.${fn.logicalId}.Properties`;
    if (own.FunctionUrlConfig !== undefined) {
      fn.triggered = true;
      this.addInvocation(index, "sync", "function URL (FunctionUrlConfig)", "the request rate");
    }
    if (!isObject(own.Events)) return;
    for (const [name, event] of Object.entries(own.Events)) {
      fn.triggered = true;
      const service = isObject(event) ? EVENT_SERVICES[String(event.Type)] : undefined;
      if (service) fn.services.add(service);
      const path = `${at}.Events.${name}`;
      if (!isObject(event)) {
        this.warn(path, `expected a mapping with Type and Properties, got ${describeValue(event)}; skipped`);
        continue;
      }
      const props = isObject(event.Properties) ? event.Properties : {};
      this.addEvent(index, String(event.Type), name, props, `${path}.Properties`);
    }
  }

  private addEvent(index: number, type: string, name: string, props: JsonObject, path: string): void {
    const label = `${type} event ${name}`;
    switch (type) {
      case "Api":
      case "HttpApi": {
        const method = this.readString(props, "Method", path, "any method");
        const route = this.readString(props, "Path", path, "any path");
        const what = method || route ? ` (${[method?.toUpperCase(), route].filter(Boolean).join(" ")})` : "";
        this.addInvocation(index, "sync", `${label}${what}`, "the request rate");
        return;
      }
      case "Cognito":
      case "AlexaSkill":
        this.addInvocation(index, "sync", label, "the request rate");
        return;
      case "SNS":
        if (props.SqsSubscription !== undefined && props.SqsSubscription !== false) {
          this.warnFilter(props, "FilterPolicy", path, "messages");
          // SAM creates the queue (with SQS's defaults) unless QueueArn names one.
          const subscription = isObject(props.SqsSubscription) ? props.SqsSubscription : {};
          this.addSqs(index, `${label} through an SQS subscription queue`, subscription, `${path}.SqsSubscription`, subscription.QueueArn);
          return;
        }
        this.warnFilter(props, "FilterPolicy", path, "events");
        this.addInvocation(index, "async", label, "the event rate");
        return;
      case "S3":
      case "CloudWatchEvent":
      case "EventBridgeRule":
      case "CloudWatchLogs":
      case "IoTRule":
        if (this.disabled(props, path)) return;
        this.addInvocation(index, "async", label, "the event rate");
        return;
      case "Schedule":
      case "ScheduleV2": {
        if (this.disabled(props, path)) return;
        this.addSchedule(index, label, props, type === "Schedule" ? "Schedule" : "ScheduleExpression", path);
        if (isObject(props.FlexibleTimeWindow) && props.FlexibleTimeWindow.Mode === "FLEXIBLE") {
          this.warn(`${path}.FlexibleTimeWindow`, "not modelled: invocations come at the exact scheduled times");
        }
        return;
      }
      case "SQS":
        this.addSqs(index, label, props, path, props.Queue);
        return;
      case "Kinesis":
      case "DynamoDB":
        this.addStream(index, label, type === "Kinesis" ? "kinesis" : "dynamodb-streams", props, path, props.Stream);
        return;
      case "MSK":
      case "MQ":
      case "SelfManagedKafka":
      case "DocumentDB":
        this.warn(path, `${type} event sources are not modelled; no workload entry for ${label}`);
        return;
      default:
        this.warn(path, `unknown event type ${JSON.stringify(type)}; skipped`);
    }
  }

  private disabled(props: JsonObject, path: string): boolean {
    const enabled = props.Enabled === undefined ? undefined : this.readBoolean(props, "Enabled", path, "taken as enabled");
    const state = props.State === undefined ? undefined : this.readString(props, "State", path, "taken as ENABLED");
    if (enabled === false || state === "DISABLED") {
      this.warn(path, "disabled in the template: no workload entry");
      return true;
    }
    return false;
  }

  private warnFilter(props: JsonObject, key: string, path: string, what: string): void {
    if (props[key] !== undefined) this.warn(`${path}.${key}`, `${what} filtered out never reach the function: set the rate to what passes the filter`);
  }

  private addInvocation(index: number, invocation: Invocation, origin: string, what: string): void {
    this.workload.push({
      functionIndex: index,
      origin,
      entry: { function: this.functions[index].name, invocation, arrivals: { poisson: { rate: PLACEHOLDER_RATE } } },
      notes: { arrivals: `placeholder: ${what} (per second), or another arrival form` },
      async: invocation === "async",
    });
  }

  private addSchedule(index: number, label: string, props: JsonObject, key: string, path: string): void {
    const expression = this.readString(props, key, path, "no workload entry");
    if (expression === undefined) {
      if (!(key in props)) this.warn(path, `has no ${key}; no workload entry`);
      return;
    }
    const origin = `${label}: ${expression}`;
    const schedule = scheduleInterval(expression);
    if (typeof schedule === "string") {
      this.warn(path, `${schedule}; no workload entry`);
      return;
    }
    if (schedule.approximation) this.warn(path, `${expression} ${schedule.approximation}`);
    // A schedule first fires at its start, which is within its first interval.
    this.longestScheduleInterval = Math.max(this.longestScheduleInterval, schedule.interval);
    const constant: JsonObject = { interval: formatSeconds(schedule.interval) };
    if (schedule.start > 0) constant.start = formatSeconds(schedule.start);
    // EventBridge and EventBridge Scheduler invoke their targets asynchronously.
    this.workload.push({
      functionIndex: index,
      origin,
      entry: { function: this.functions[index].name, invocation: "async", arrivals: { constant } },
      notes: schedule.approximation ? { arrivals: `approximates ${expression}` } : {},
      async: true,
    });
  }

  // ----- event source mappings -----

  private mappingEnabled(props: JsonObject, path: string): boolean {
    if (props.Enabled !== undefined && this.readBoolean(props, "Enabled", path, "taken as enabled") === false) {
      this.warn(path, "disabled in the template: no workload entry");
      return false;
    }
    return true;
  }

  /** Settings common to every poll-based source; warns of the ones the simulator does not model. */
  private commonMappingSettings(props: JsonObject, path: string, entry: JsonObject): void {
    const batchSize = this.readInteger(props, "BatchSize", path, 1, 10000, "the default batch size assumed");
    if (batchSize !== undefined) entry.batchSize = batchSize;
    const window = this.readInteger(props, "MaximumBatchingWindowInSeconds", path, 0, 300, "no batching window assumed");
    if (window !== undefined && window > 0) entry.batchingWindow = formatSeconds(window);
    const types = this.read(props, "FunctionResponseTypes", path, "not reported");
    if (Array.isArray(types) && types.includes("ReportBatchItemFailures")) entry.reportBatchItemFailures = true;
    this.warnFilter(props, "FilterCriteria", path, "records");
    if (props.TumblingWindowInSeconds !== undefined) this.warn(`${path}.TumblingWindowInSeconds`, "not modelled: batches are not grouped into windows");
    if (props.ProvisionedPollerConfig !== undefined) this.warn(`${path}.ProvisionedPollerConfig`, "not modelled: pollers scale on demand");
  }

  private addSqs(index: number, origin: string, props: JsonObject, path: string, queueRef: Json | undefined): void {
    if (!this.mappingEnabled(props, path)) return;
    const fn = this.functions[index];
    const entry: JsonObject = { function: fn.name, source: "sqs", messages: { poisson: { rate: PLACEHOLDER_RATE } } };
    const notes: Record<string, string> = { messages: "placeholder: the rate messages are sent to the queue (per second)" };
    this.commonMappingSettings(props, path, entry);
    const scaling = this.readObject(props, "ScalingConfig", path);
    const maximumConcurrency = this.readInteger(scaling, "MaximumConcurrency", `${path}.ScalingConfig`, 2, 1000, "no cap assumed");
    if (maximumConcurrency !== undefined) entry.maximumConcurrency = maximumConcurrency;

    const queue = queueRef === undefined ? undefined : this.referencedResource(queueRef, ["AWS::SQS::Queue"]);
    let visibility = SQS_DEFAULT_VISIBILITY_S;
    if (queue) {
      const at = `Resources.${queue.id}.Properties`;
      const queueProps = isObject(queue.resource.Properties) ? queue.resource.Properties : {};
      visibility = this.readInteger(queueProps, "VisibilityTimeout", at, 0, SQS_MAX_VISIBILITY_S, "SQS's default 30 s assumed") ?? visibility;
      const retention = this.readInteger(queueProps, "MessageRetentionPeriod", at, 60, 1209600, "SQS's default 4 days assumed");
      if (retention !== undefined) entry.messageRetention = formatSeconds(retention);
      const redrive = this.readObject(queueProps, "RedrivePolicy", at);
      const maxReceiveCount = this.readInteger(redrive, "maxReceiveCount", `${at}.RedrivePolicy`, 1, 1000, "no redrive assumed");
      if (maxReceiveCount !== undefined) entry.maxReceiveCount = maxReceiveCount;
      if (this.readBoolean(queueProps, "FifoQueue", at, "a standard queue assumed")) entry.fifo = true;
      const delay = this.readInteger(queueProps, "DelaySeconds", at, 0, 900, "no delay assumed");
      if (delay) this.warn(`${at}.DelaySeconds`, "not modelled: messages are visible as soon as they are sent");
    } else if (queueRef !== undefined) {
      // The queue lives elsewhere; Lambda refuses a mapping whose queue hides messages for less than the timeout.
      visibility = Math.max(SQS_DEFAULT_VISIBILITY_S, Math.min(SQS_MAX_VISIBILITY_S, RECOMMENDED_VISIBILITY_FACTOR * fn.timeoutSeconds));
      this.warn(path, `the queue is not defined in the template; visibility timeout ${formatSeconds(visibility)} (AWS's recommended 6 x the function timeout) and SQS's other defaults assumed`);
    }
    if (visibility < fn.timeoutSeconds) {
      this.warn(path, `the queue's visibility timeout (${visibility} s) is below the function timeout (${fn.timeoutSeconds} s), which Lambda refuses; raised to ${fn.timeoutSeconds} s`);
      visibility = fn.timeoutSeconds;
    }
    entry.visibilityTimeout = formatSeconds(visibility);
    const batchSize = typeof entry.batchSize === "number" ? entry.batchSize : 10;
    if (entry.fifo && entry.batchingWindow !== undefined) {
      this.warn(`${path}.MaximumBatchingWindowInSeconds`, "Lambda takes no batching window for a FIFO queue; none used");
      delete entry.batchingWindow;
    }
    if (entry.fifo && batchSize > 10) {
      this.warn(`${path}.BatchSize`, `${batchSize} is above the FIFO maximum of 10; 10 used`);
      entry.batchSize = 10;
    } else if (batchSize > 10 && entry.batchingWindow === undefined) {
      this.warn(`${path}.BatchSize`, "above 10 needs a batching window of at least 1 s, which Lambda requires; 1 s used");
      entry.batchingWindow = "1s";
    }
    this.workload.push({ functionIndex: index, origin, entry: orderSqs(entry), notes, async: false });
  }

  private addStream(index: number, origin: string, source: "kinesis" | "dynamodb-streams", props: JsonObject, path: string, streamRef: Json | undefined): void {
    if (!this.mappingEnabled(props, path)) return;
    const fn = this.functions[index];
    const entry: JsonObject = { function: fn.name, source, records: { poisson: { rate: PLACEHOLDER_RATE } } };
    const notes: Record<string, string> = { records: "placeholder: the rate records are written to the stream (per second)" };
    const types = source === "kinesis" ? ["AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer"] : ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"];
    let stream = streamRef === undefined ? undefined : this.referencedResource(streamRef, types);
    if (stream?.resource.Type === "AWS::Kinesis::StreamConsumer") {
      this.warn(path, "an enhanced fan-out consumer: records are pushed rather than polled, modelled as polling");
      const consumer = isObject(stream.resource.Properties) ? stream.resource.Properties : {};
      stream = this.referencedResource(consumer.StreamARN, ["AWS::Kinesis::Stream"]);
    }
    const streamProps = stream && isObject(stream.resource.Properties) ? stream.resource.Properties : {};
    if (source === "kinesis" && stream) {
      const at = `Resources.${stream.id}.Properties`;
      const mode = isObject(streamProps.StreamModeDetails) ? this.evaluator.evaluate(streamProps.StreamModeDetails.StreamMode) : undefined;
      if (mode === "ON_DEMAND") {
        entry.shards = ON_DEMAND_INITIAL_SHARDS;
        notes.shards = "an on-demand stream starts with 4 shards and adds more as writes grow";
      } else {
        entry.shards = this.readInteger(streamProps, "ShardCount", at, 1, 100000, "1 shard assumed") ?? 1;
      }
      const hours = this.readInteger(streamProps, "RetentionPeriodHours", at, 24, 8760, "24 h assumed");
      if (hours !== undefined && hours !== 24) entry.retention = formatSeconds(hours * 3600);
    } else {
      entry.shards = 1;
      notes.shards =
        source === "kinesis" ? "placeholder: the stream is not defined in the template" : "placeholder: a DynamoDB stream has about one shard per table partition";
      if (source === "kinesis") this.warn(path, "the stream is not defined in the template: its shard count is a placeholder");
      else if (stream && streamProps.StreamSpecification === undefined) this.warn(`Resources.${stream.id}`, "has no StreamSpecification, so no stream to read");
    }
    this.commonMappingSettings(props, path, entry);
    const factor = this.readInteger(props, "ParallelizationFactor", path, 1, 10, "1 assumed");
    if (factor !== undefined) entry.parallelizationFactor = factor;
    const retries = this.readInteger(props, "MaximumRetryAttempts", path, -1, 10000, "retries until the record expires assumed");
    if (retries !== undefined) entry.maximumRetryAttempts = retries;
    const age = this.read(props, "MaximumRecordAgeInSeconds", path, "no age limit assumed");
    if (age !== undefined) {
      const seconds = Number(age);
      if (seconds === -1) entry.maximumRecordAge = -1;
      else if (Number.isInteger(seconds) && seconds >= 60 && seconds <= 604800) entry.maximumRecordAge = formatSeconds(seconds);
      else this.warn(`${path}.MaximumRecordAgeInSeconds`, `expected -1 or 60 to 604800, got ${describeValue(age)}; no age limit assumed`);
    }
    if (this.readBoolean(props, "BisectBatchOnFunctionError", path, "no bisection assumed")) entry.bisectBatchOnFunctionError = true;
    const destinations = this.readObject(props, "DestinationConfig", path);
    if (destinations.OnFailure !== undefined) entry.onFailure = "dlq";
    this.workload.push({ functionIndex: index, origin, entry: orderStream(entry), notes, async: false });
  }

  /** The first resource of one of these types that a value refers to (Ref, GetAtt, Sub). */
  private referencedResource(value: Json | undefined, types: string[]): { id: string; resource: JsonObject } | undefined {
    for (const id of this.evaluator.references(value)) {
      const resource = this.resources[id];
      if (isObject(resource) && types.includes(String(resource.Type))) return { id, resource };
    }
    return undefined;
  }

  // ----- triggers defined as their own resources (plain CloudFormation, or beside SAM) -----

  private addResourceTrigger(id: string, resource: JsonObject): void {
    const props = isObject(resource.Properties) ? resource.Properties : {};
    const path = `Resources.${id}.Properties`;
    switch (resource.Type) {
      case "AWS::Lambda::EventSourceMapping":
        this.addEventSourceMapping(id, props, path);
        return;
      case "AWS::Lambda::Alias":
      case "AWS::Lambda::Version": {
        const index = this.functionFor(props.FunctionName, path);
        if (index === undefined || props.ProvisionedConcurrencyConfig === undefined) return;
        const config = this.readObject(props, "ProvisionedConcurrencyConfig", path);
        const value = this.readInteger(config, "ProvisionedConcurrentExecutions", `${path}.ProvisionedConcurrencyConfig`, 0, Infinity, "none assumed");
        const aliasName = this.evaluator.evaluate(props.Name);
        const label = resource.Type === "AWS::Lambda::Alias" ? `alias ${typeof aliasName === "string" ? aliasName : id}` : `version ${id}`;
        if (value !== undefined) this.functions[index].provisioned.push({ value, where: label });
        return;
      }
      case "AWS::Lambda::EventInvokeConfig": {
        const index = this.functionFor(props.FunctionName, path);
        if (index !== undefined) this.readEventInvokeConfig(props, path, this.functions[index].asyncConfig);
        return;
      }
      case "AWS::Lambda::Url": {
        const index = this.functionFor(props.TargetFunctionArn, path);
        if (index === undefined) return;
        this.functions[index].triggered = true;
        this.addInvocation(index, "sync", `function URL ${id}`, "the request rate");
        return;
      }
      case "AWS::Events::Rule": {
        const targets = this.read(props, "Targets", path, "no targets");
        // Targets may also be queues, state machines or other accounts' buses.
        const indices = (Array.isArray(targets) ? targets : []).flatMap((target) => {
          const index = isObject(target) ? this.functionFor(target.Arn, path, false) : undefined;
          return index === undefined ? [] : [index];
        });
        for (const index of indices) {
          this.functions[index].triggered = true;
          this.functions[index].services.add("events");
        }
        if (indices.length === 0 || this.disabled(props, path)) return;
        // A rule runs on a schedule or on matching events (EventPattern).
        for (const index of indices) {
          if ("ScheduleExpression" in props) this.addSchedule(index, `EventBridge rule ${id}`, props, "ScheduleExpression", path);
          else this.addInvocation(index, "async", `EventBridge rule ${id}`, "the event rate");
        }
        return;
      }
      case "AWS::Scheduler::Schedule": {
        const target = isObject(props.Target) ? props.Target : {};
        const index = this.functionFor(target.Arn, path, false);
        if (index === undefined) return;
        this.functions[index].triggered = true;
        this.functions[index].services.add("scheduler");
        if (this.disabled(props, path)) return;
        this.addSchedule(index, `EventBridge Scheduler schedule ${id}`, props, "ScheduleExpression", path);
        return;
      }
      case "AWS::SNS::Subscription": {
        if (this.evaluator.evaluate(props.Protocol) !== "lambda") return;
        const index = this.functionFor(props.Endpoint, path);
        if (index === undefined) return;
        this.functions[index].triggered = true;
        this.functions[index].services.add("sns");
        this.warnFilter(props, "FilterPolicy", path, "events");
        this.addInvocation(index, "async", `SNS subscription ${id}`, "the event rate");
        return;
      }
      case "AWS::S3::Bucket": {
        const notifications = this.readObject(props, "NotificationConfiguration", path);
        const configs = this.read(notifications, "LambdaConfigurations", `${path}.NotificationConfiguration`, "none");
        for (const config of Array.isArray(configs) ? configs : []) {
          const index = isObject(config) ? this.functionFor(config.Function, path) : undefined;
          if (index === undefined || !isObject(config)) continue;
          this.functions[index].triggered = true;
          this.functions[index].services.add("s3");
          const event = this.evaluator.evaluate(config.Event);
          this.addInvocation(index, "async", `S3 bucket ${id}${typeof event === "string" ? ` (${event})` : ""}`, "the event rate");
        }
        return;
      }
      case "AWS::Serverless::Application":
      case "AWS::CloudFormation::Stack":
        this.warn(`Resources.${id}`, "a nested stack: its functions are not converted; convert its template on its own");
        return;
    }
  }

  private addEventSourceMapping(id: string, props: JsonObject, path: string): void {
    const index = this.functionFor(props.FunctionName, path);
    if (index === undefined) return;
    this.functions[index].triggered = true;
    const origin = `event source mapping ${id}`;
    for (const key of Object.keys(props)) {
      if (!KNOWN_MAPPING_PROPERTIES.has(key)) this.warn(`${path}.${key}`, "not read: the simulator has no counterpart");
    }
    const source = this.mappingSource(props.EventSourceArn, props, path);
    if (source === "sqs") this.addSqs(index, origin, props, path, props.EventSourceArn);
    else if (source) this.addStream(index, origin, source, props, path, props.EventSourceArn);
  }

  /** Which kind of source an EventSourceArn names: by the resource it refers to, or by the ARN's service. */
  private mappingSource(arn: Json | undefined, props: JsonObject, path: string): "sqs" | "kinesis" | "dynamodb-streams" | undefined {
    const [referenced] = this.evaluator.references(arn);
    if (referenced !== undefined) {
      const resource = this.resources[referenced];
      const type = isObject(resource) ? String(resource.Type) : "an unknown resource";
      const source = SOURCE_RESOURCE_TYPES[type];
      if (!source) this.warn(`${path}.EventSourceArn`, `${type} event sources are not modelled; no workload entry`);
      return source;
    }
    const value = this.evaluator.evaluate(arn);
    const text = typeof value === "string" ? value : isObject(arn) && typeof arn["Fn::Sub"] === "string" ? arn["Fn::Sub"] : "";
    // In arn:${AWS::Partition}:sqs:${AWS::Region}:... the variables cannot hide the service.
    const service = /^arn:[^:]+:([a-z0-9-]+):/.exec(text.replace(/\$\{[^}]*\}/g, "x"))?.[1];
    if (service === "sqs") return "sqs";
    if (service === "kinesis") return "kinesis";
    if (service === "dynamodb") return "dynamodb-streams";
    if (service) {
      this.warn(`${path}.EventSourceArn`, `${service} event sources are not modelled; no workload entry`);
      return undefined;
    }
    // Only streams have a starting position, and Kinesis is the one usually shared across stacks.
    if (props.StartingPosition !== undefined) {
      this.warn(`${path}.EventSourceArn`, `${showIntrinsic(arn ?? null)} cannot be evaluated from the template; StartingPosition marks a stream, Kinesis assumed`);
      return "kinesis";
    }
    this.warn(`${path}.EventSourceArn`, `${showIntrinsic(arn ?? null)} cannot be evaluated from the template; SQS assumed (the one source without a StartingPosition)`);
    return "sqs";
  }

  /** Plain CloudFormation grants push sources through permissions; the ones not already found become entries. */
  private addPermission(id: string, resource: JsonObject): void {
    const props = isObject(resource.Properties) ? resource.Properties : {};
    const path = `Resources.${id}.Properties`;
    const index = this.functionFor(props.FunctionName, path);
    const principal = this.evaluator.evaluate(props.Principal);
    if (index === undefined || typeof principal !== "string") return;
    const service = principal.split(".")[0];
    const fn = this.functions[index];
    const sync = ["apigateway", "elasticloadbalancing", "cognito-idp", "alexa-appkit", "alexa-connectedhome", "lex"];
    const async = ["s3", "sns", "events", "scheduler", "logs", "iot", "ses", "codecommit", "config"];
    if (!sync.includes(service) && !async.includes(service)) {
      if (!principal.endsWith(".amazonaws.com")) return; // another account or role: a direct caller
      this.warn(path, `invocations by ${principal} are not converted`);
      return;
    }
    if (fn.services.has(service)) return;
    fn.triggered = true;
    fn.services.add(service);
    const kind = sync.includes(service) ? "sync" : "async";
    this.addInvocation(index, kind, `${principal} (permission ${id})`, kind === "sync" ? "the request rate" : "the event rate");
  }

  /** The function a FunctionName, Arn or Endpoint value names: by reference (also through an alias or version), name or ARN. */
  private functionFor(value: Json | undefined, path: string, warnIfMissing = true): number | undefined {
    for (const id of this.evaluator.references(value)) {
      const direct = this.functionByLogicalId.get(id);
      if (direct !== undefined) return direct;
      const resource = this.resources[id];
      if (isObject(resource) && (resource.Type === "AWS::Lambda::Alias" || resource.Type === "AWS::Lambda::Version")) {
        const target = isObject(resource.Properties) ? resource.Properties.FunctionName : undefined;
        const viaAlias = this.evaluator.references(target).map((ref) => this.functionByLogicalId.get(ref)).find((i) => i !== undefined);
        if (viaAlias !== undefined) return viaAlias;
      }
    }
    const evaluated = this.evaluator.evaluate(value);
    if (typeof evaluated === "string") {
      // A name, name:qualifier, or arn:aws:lambda:region:account:function:name[:qualifier].
      const name = evaluated.includes(":function:") ? evaluated.split(":function:")[1].split(":")[0] : evaluated.split(":")[0];
      const index = this.functions.findIndex((fn) => fn.name === name || fn.logicalId === name);
      if (index >= 0) return index;
    }
    if (warnIfMissing && value !== undefined) {
      const shown = isObject(value) ? showIntrinsic(value) : describeValue(value);
      this.warn(path, `${shown} is not a function of this template; skipped`);
    }
    return undefined;
  }

  /**
   * Functions the template gives no trigger are invoked directly (SDK, Step Functions, another
   * function). A scenario needs some workload, so when no trigger at all could be converted every
   * function gets such an entry.
   */
  private addDirectInvocations(): void {
    const everyFunction = this.workload.length === 0;
    if (everyFunction && this.functions.some((fn) => fn.triggered)) {
      this.warn("Resources", "no event source could be converted; every function gets a synchronous placeholder entry");
    }
    this.functions.forEach((fn, index) => {
      if (fn.triggered && !everyFunction) return;
      const origin = fn.triggered
        ? "none of its event sources could be converted: a synchronous placeholder"
        : "no event source in the template: invoked directly (an AWS SDK, Step Functions, another function)";
      this.addInvocation(index, "sync", origin, "the request rate");
    });
  }

  // ----- concurrency -----

  /** Applies provisioned concurrency and keeps the reservations valid; returns the account block if one is needed. */
  private settleConcurrency(): JsonObject | undefined {
    let reservedTotal = 0;
    let unreservedProvisioned = 0;
    for (const fn of this.functions) {
      const path = `Resources.${fn.logicalId}`;
      if (fn.provisioned.length > 0) {
        let total = fn.provisioned.reduce((sum, part) => sum + part.value, 0);
        if (fn.provisioned.length > 1) {
          this.warn(path, `provisioned concurrency on ${fn.provisioned.map((p) => `${p.where} (${p.value})`).join(" and ")}: the simulator has one pool per function, so their sum ${total} is used`);
        }
        const reserved = fn.fields.reservedConcurrency;
        if (typeof reserved === "number" && total > reserved) {
          this.warn(path, `provisioned concurrency ${total} exceeds the reserved concurrency ${reserved}, which Lambda refuses; ${reserved} used`);
          total = reserved;
        }
        if (total > 0) {
          fn.fields.provisionedConcurrency = total;
          fn.notes.provisionedConcurrency = fn.provisioned.map((p) => p.where).join(" + ");
        }
      }
      if (typeof fn.fields.reservedConcurrency === "number") reservedTotal += fn.fields.reservedConcurrency;
      else if (typeof fn.fields.provisionedConcurrency === "number") unreservedProvisioned += fn.fields.provisionedConcurrency;
    }
    const { concurrencyLimit, unreservedMinimum } = ACCOUNT_DEFAULTS;
    const needed = reservedTotal + unreservedProvisioned + unreservedMinimum;
    if (needed <= concurrencyLimit) return undefined;
    this.warn(
      "Resources",
      `reserved and provisioned concurrency total ${needed - unreservedMinimum}, more than an account limit of ${concurrencyLimit} allows with ${unreservedMinimum} kept unreserved; account.concurrencyLimit set to ${needed}`,
    );
    return { concurrencyLimit: needed };
  }

  // ----- output -----

  private render(account: JsonObject | undefined, warnings: string[]): string {
    const source = basename(this.fileName);
    const name = basename(this.fileName, extname(this.fileName)).replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 100) || "sam-template";
    const described = typeof this.template.Description === "string" ? ` ${this.template.Description.trim().replace(/\s+/g, " ")}` : "";
    const span = Math.max(PLACEHOLDER_SPAN_SECONDS, this.longestScheduleInterval);
    const ordered = this.workload.map((w, i) => ({ w, i })).sort((a, b) => a.w.functionIndex - b.w.functionIndex || a.i - b.i).map(({ w }) => w);
    const scenario: JsonObject = {
      name,
      description: `Converted from ${source} by lambdasim from-sam.${described}`,
      duration: formatSeconds(span),
      ...(account ? { account } : {}),
      functions: this.functions.map((fn) => fn.fields),
      workload: ordered.map((w) => {
        const config = this.functions[w.functionIndex].asyncConfig;
        const settings = pick({ ...config }, ["maximumRetryAttempts", "maximumEventAge", "onFailure"]);
        return w.async && Object.keys(settings).length > 0 ? { ...w.entry, async: settings } : w.entry;
      }),
    };
    const doc = new Document(scenario);
    doc.commentBefore = [
      ` Scenario skeleton converted from ${source} by lambdasim from-sam.`,
      " Function settings, mappings and queues come from the template; handler times and traffic do not:",
      ' every value marked "placeholder" needs your figures before the results mean anything.',
      ...(warnings.length > 0 ? [" Conversion notes:", ...warnings.map((w) => `   - ${w}`)] : []),
    ].join("\n");
    setComment(doc.getIn(["duration"], true), span > PLACEHOLDER_SPAN_SECONDS ? "placeholder: long enough for every schedule to fire" : "placeholder: how long to simulate");
    if (account) setComment(doc.getIn(["account"], true), "raised so that the template's reservations fit; use your account's limit");
    this.functions.forEach((fn, i) => {
      const item = doc.getIn(["functions", i], true) as Node;
      item.commentBefore = ` ${fn.logicalId} (${fn.type})`;
      if (i > 0) item.spaceBefore = true;
      for (const [field, note] of Object.entries(fn.notes)) setComment(doc.getIn(["functions", i, field], true), note);
    });
    ordered.forEach((w, i) => {
      const item = doc.getIn(["workload", i], true) as Node;
      item.commentBefore = ` ${this.functions[w.functionIndex].name}: ${w.origin}`;
      if (i > 0) item.spaceBefore = true;
      for (const field of ["arrivals", "messages", "records", "async"]) {
        const node = doc.getIn(["workload", i, field], true);
        if (isMap(node)) node.flow = true;
      }
      for (const [field, note] of Object.entries(w.notes)) setComment(doc.getIn(["workload", i, field], true), note);
    });
    for (const key of ["functions", "workload"]) {
      const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
      if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
    }
    return doc.toString({ lineWidth: 0 });
  }
}

function setComment(node: unknown, text: string): void {
  if (isNode(node)) node.comment = ` ${text}`;
}

/**
 * SAM's Globals.Function under a function's own properties: the function's values win, mappings
 * merge key by key. (SAM appends lists; the one list read here, Architectures, has a single item,
 * so a function that sets it replaces the global one.)
 */
function mergeGlobals(globals: JsonObject, own: JsonObject): JsonObject {
  const merged: JsonObject = { ...globals };
  for (const [key, value] of Object.entries(own)) {
    const global = merged[key];
    merged[key] = isObject(global) && isObject(value) && !isIntrinsic(global) && !isIntrinsic(value) ? mergeGlobals(global, value) : value;
  }
  return merged;
}

function isIntrinsic(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"));
}

/** The known runtime of the same language nearest in version (retired runtimes map to their successor). */
function nearestVersion(runtime: string): string | undefined {
  const family = /^[a-z]+/.exec(runtime)?.[0];
  const version = versionNumber(runtime);
  if (!family || version === undefined) return undefined;
  let best: { runtime: string; version: number } | undefined;
  for (const candidate of KNOWN_RUNTIMES) {
    const candidateVersion = versionNumber(candidate);
    if (/^[a-z]+/.exec(candidate)?.[0] !== family || candidate.includes("/") || candidateVersion === undefined) continue;
    const distance = Math.abs(candidateVersion - version);
    const bestDistance = best ? Math.abs(best.version - version) : Infinity;
    // On a tie the newer one: retired runtimes move forward.
    if (distance < bestDistance || (distance === bestDistance && best && candidateVersion > best.version)) best = { runtime: candidate, version: candidateVersion };
  }
  return best?.runtime;
}

/** python3.12 is 3.12, nodejs18.x is 18: major plus minor / 100. */
function versionNumber(runtime: string): number | undefined {
  const match = /(\d+)(?:\.(\d+))?/.exec(runtime);
  return match ? Number(match[1]) + Number(match[2] ?? 0) / 100 : undefined;
}

/** Seconds as the largest whole unit: 900 is 15m, 9000 is 150m, 172800 is 2d. */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

function orderSqs(entry: JsonObject): JsonObject {
  return pick(entry, ["function", "source", "messages", "batchSize", "batchingWindow", "maximumConcurrency", "visibilityTimeout", "maxReceiveCount", "messageRetention", "reportBatchItemFailures", "fifo"]);
}

function orderStream(entry: JsonObject): JsonObject {
  return pick(entry, ["function", "source", "records", "shards", "batchSize", "batchingWindow", "parallelizationFactor", "maximumRetryAttempts", "maximumRecordAge", "bisectBatchOnFunctionError", "reportBatchItemFailures", "retention", "onFailure"]);
}

function pick(entry: JsonObject, order: string[]): JsonObject {
  return Object.fromEntries(order.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
}

// ----- schedule expressions -----

interface Interval {
  interval: number;
  start: number;
  /** Set when the expression is not a constant interval and is approximated by one. */
  approximation?: string;
}

const RATE_UNITS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

/**
 * An EventBridge schedule as a constant interval (seconds) from a start within the day, or why it
 * cannot be one. rate(5 minutes) is exact; cron(...) is exact when it fires evenly through every
 * day, and otherwise approximated by its mean interval.
 */
export function scheduleInterval(expression: string): Interval | string {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const size = RATE_UNITS[rate[2].toLowerCase()];
    const count = Number(rate[1]);
    if (!size || count < 1) return `${text}: expected rate(N minutes|hours|days) with N >= 1`;
    return { interval: count * size, start: 0 };
  }
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) return /^at\(/i.test(text) ? `${text} fires once` : `${text} is not a rate(...) or cron(...) expression`;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `${text}: expected six cron fields (minutes hours day-of-month month day-of-week year)`;
  const minutes = expandCronField(fields[0], 0, 59);
  const hours = expandCronField(fields[1], 0, 23);
  if (!minutes || !hours) return `${text}: cannot read its minutes and hours`;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  const gaps = times.map((t, i) => (i + 1 < times.length ? times[i + 1] : times[0] + 1440) - t);
  const everyDay = fields.slice(2).every((field) => field === "*" || field === "?");
  const even = gaps.every((gap) => gap === gaps[0]);
  const interval = even ? gaps[0] * 60 : Math.round((1440 / times.length) * 60);
  const notes = [
    ...(everyDay ? [] : ["fires on some days only; simulated as firing every day"]),
    ...(even ? [] : [`fires at uneven times; simulated as one every ${formatSeconds(interval)}`]),
  ];
  return { interval, start: times[0] * 60, ...(notes.length > 0 ? { approximation: notes.join("; ") } : {}) };
}

/** The values a cron minutes or hours field selects: *, n, a-b, a/n, * /n, a-b/n and lists of them. */
function expandCronField(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === "*" ? min : Number(match[2]);
    const to = match[1] === "*" || (match[4] !== undefined && match[3] === undefined) ? max : Number(match[3] ?? match[2]);
    const step = Number(match[4] ?? 1);
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}
