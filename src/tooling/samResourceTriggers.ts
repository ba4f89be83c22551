import { readUrlInvokeMode } from "./samFeatures.js";
import { isObject, showIntrinsic, type Json, type JsonObject } from "./cloudFormation.js";
import type { ConversionDraft } from "./samDraft.js";
import { readEventInvokeConfig } from "./samFunctions.js";
import { addSqs, addStream } from "./samSources/index.js";
import type { TemplateReader } from "./samTemplateReader.js";

/* Triggers defined as their own resources (plain CloudFormation, or beside SAM) as workload entries. */

/** Event source mapping properties that are read, or change nothing the simulator models (where reading starts, encryption, tags). */
const KNOWN_MAPPING_PROPERTIES = new Set([
  "BatchSize",
  "BisectBatchOnFunctionError",
  "DestinationConfig",
  "Enabled",
  "EventSourceArn",
  "FilterCriteria",
  "FunctionName",
  "FunctionResponseTypes",
  "KmsKeyArn",
  "MaximumBatchingWindowInSeconds",
  "MaximumRecordAgeInSeconds",
  "MaximumRetryAttempts",
  "MetricsConfig",
  "ParallelizationFactor",
  "ProvisionedPollerConfig",
  "ScalingConfig",
  "StartingPosition",
  "StartingPositionTimestamp",
  "Tags",
  "TumblingWindowInSeconds",
]);

/** Event sources by resource type: what a mapping's EventSourceArn refers to. */
const SOURCE_RESOURCE_TYPES: Record<string, "sqs" | "kinesis" | "dynamodb-streams"> = {
  "AWS::SQS::Queue": "sqs",
  "AWS::Kinesis::Stream": "kinesis",
  "AWS::Kinesis::StreamConsumer": "kinesis",
  "AWS::DynamoDB::Table": "dynamodb-streams",
  "AWS::DynamoDB::GlobalTable": "dynamodb-streams",
};

export function addResourceTrigger(draft: ConversionDraft, id: string, resource: JsonObject): void {
  const props = isObject(resource.Properties) ? resource.Properties : {};
  const path = `Resources.${id}.Properties`;
  switch (resource.Type) {
    case "AWS::Lambda::EventSourceMapping":
      addEventSourceMapping(draft, id, props, path);
      return;
    case "AWS::Lambda::Alias":
    case "AWS::Lambda::Version": {
      const index = draft.functionFor(props.FunctionName, path);
      if (index === undefined || props.ProvisionedConcurrencyConfig === undefined) return;
      const config = draft.readObject(props, "ProvisionedConcurrencyConfig", path);
      const value = draft.readInteger(
        config,
        "ProvisionedConcurrentExecutions",
        `${path}.ProvisionedConcurrencyConfig`,
        0,
        Infinity,
        "none assumed",
      );
      const aliasName = draft.evaluator.evaluate(props.Name);
      const label = resource.Type === "AWS::Lambda::Alias" ? `alias ${typeof aliasName === "string" ? aliasName : id}` : `version ${id}`;
      if (value !== undefined) draft.functions[index].provisioned.push({ value, where: label });
      return;
    }
    case "AWS::Lambda::EventInvokeConfig": {
      const index = draft.functionFor(props.FunctionName, path);
      if (index !== undefined) readEventInvokeConfig(draft, props, path, draft.functions[index].asyncConfig);
      return;
    }
    case "AWS::Lambda::Url": {
      const index = draft.functionFor(props.TargetFunctionArn, path);
      if (index === undefined) return;
      draft.functions[index].triggered = true;
      readUrlInvokeMode(draft, draft.functions[index], props, path);
      draft.addInvocation(index, "sync", `function URL ${id}`, "the request rate");
      return;
    }
    case "AWS::Events::Rule": {
      const targets = draft.read(props, "Targets", path, "no targets");
      // Targets may also be queues, state machines or other accounts' buses.
      const indices = (Array.isArray(targets) ? targets : []).flatMap((target) => {
        const index = isObject(target) ? draft.functionFor(target.Arn, path, false) : undefined;
        return index === undefined ? [] : [index];
      });
      for (const index of indices) {
        draft.functions[index].triggered = true;
        draft.functions[index].services.add("events");
      }
      if (indices.length === 0 || draft.disabled(props, path)) return;
      // A rule runs on a schedule or on matching events (EventPattern).
      for (const index of indices) {
        if ("ScheduleExpression" in props) draft.addSchedule(index, `EventBridge rule ${id}`, props, "ScheduleExpression", path);
        else draft.addInvocation(index, "async", `EventBridge rule ${id}`, "the event rate");
      }
      return;
    }
    case "AWS::Scheduler::Schedule": {
      const target = isObject(props.Target) ? props.Target : {};
      const index = draft.functionFor(target.Arn, path, false);
      if (index === undefined) return;
      draft.functions[index].triggered = true;
      draft.functions[index].services.add("scheduler");
      if (draft.disabled(props, path)) return;
      draft.addSchedule(index, `EventBridge Scheduler schedule ${id}`, props, "ScheduleExpression", path);
      return;
    }
    case "AWS::SNS::Subscription": {
      if (draft.evaluator.evaluate(props.Protocol) !== "lambda") return;
      const index = draft.functionFor(props.Endpoint, path);
      if (index === undefined) return;
      draft.functions[index].triggered = true;
      draft.functions[index].services.add("sns");
      draft.warnFilter(props, "FilterPolicy", path, "events");
      draft.addInvocation(index, "async", `SNS subscription ${id}`, "the event rate");
      return;
    }
    case "AWS::S3::Bucket": {
      const notifications = draft.readObject(props, "NotificationConfiguration", path);
      const configs = draft.read(notifications, "LambdaConfigurations", `${path}.NotificationConfiguration`, "none");
      for (const config of Array.isArray(configs) ? configs : []) {
        const index = isObject(config) ? draft.functionFor(config.Function, path) : undefined;
        if (index === undefined || !isObject(config)) continue;
        draft.functions[index].triggered = true;
        draft.functions[index].services.add("s3");
        const event = draft.evaluator.evaluate(config.Event);
        draft.addInvocation(index, "async", `S3 bucket ${id}${typeof event === "string" ? ` (${event})` : ""}`, "the event rate");
      }
      return;
    }
    case "AWS::Serverless::Application":
    case "AWS::CloudFormation::Stack":
      draft.warn(`Resources.${id}`, "a nested stack: its functions are not converted; convert its template on its own");
      return;
  }
}

function addEventSourceMapping(draft: ConversionDraft, id: string, props: JsonObject, path: string): void {
  const index = draft.functionFor(props.FunctionName, path);
  if (index === undefined) return;
  draft.functions[index].triggered = true;
  const origin = `event source mapping ${id}`;
  for (const key of Object.keys(props)) {
    if (!KNOWN_MAPPING_PROPERTIES.has(key)) draft.warn(`${path}.${key}`, "not read: the simulator has no counterpart");
  }
  const source = mappingSource(draft, props.EventSourceArn, props, path);
  if (source === "sqs") addSqs(draft, index, origin, props, path, props.EventSourceArn);
  else if (source) addStream(draft, index, origin, source, props, path, props.EventSourceArn);
}

/** Which kind of source an EventSourceArn names: by the resource it refers to, or by the ARN's service. */
function mappingSource(
  reader: TemplateReader,
  arn: Json | undefined,
  props: JsonObject,
  path: string,
): "sqs" | "kinesis" | "dynamodb-streams" | undefined {
  const [referenced] = reader.evaluator.references(arn);
  if (referenced !== undefined) {
    const resource = reader.resources[referenced];
    const type = isObject(resource) ? String(resource.Type) : "an unknown resource";
    const source = SOURCE_RESOURCE_TYPES[type];
    if (!source) reader.warn(`${path}.EventSourceArn`, `${type} event sources are not modelled; no workload entry`);
    return source;
  }
  const value = reader.evaluator.evaluate(arn);
  const text = typeof value === "string" ? value : isObject(arn) && typeof arn["Fn::Sub"] === "string" ? arn["Fn::Sub"] : "";
  // In arn:${AWS::Partition}:sqs:${AWS::Region}:... the variables cannot hide the service.
  const service = /^arn:[^:]+:([a-z0-9-]+):/.exec(text.replace(/\$\{[^}]*\}/g, "x"))?.[1];
  if (service === "sqs") return "sqs";
  if (service === "kinesis") return "kinesis";
  if (service === "dynamodb") return "dynamodb-streams";
  if (service) {
    reader.warn(`${path}.EventSourceArn`, `${service} event sources are not modelled; no workload entry`);
    return undefined;
  }
  // Only streams have a starting position, and Kinesis is the one usually shared across stacks.
  if (props.StartingPosition !== undefined) {
    reader.warn(
      `${path}.EventSourceArn`,
      `${showIntrinsic(arn ?? null)} cannot be evaluated from the template; StartingPosition marks a stream, Kinesis assumed`,
    );
    return "kinesis";
  }
  reader.warn(
    `${path}.EventSourceArn`,
    `${showIntrinsic(arn ?? null)} cannot be evaluated from the template; SQS assumed (the one source without a StartingPosition)`,
  );
  return "sqs";
}

/** Plain CloudFormation grants push sources through permissions; the ones not already found become entries. */
export function addPermission(draft: ConversionDraft, id: string, resource: JsonObject): void {
  const props = isObject(resource.Properties) ? resource.Properties : {};
  const path = `Resources.${id}.Properties`;
  const index = draft.functionFor(props.FunctionName, path);
  const principal = draft.evaluator.evaluate(props.Principal);
  if (index === undefined || typeof principal !== "string") return;
  const service = principal.split(".")[0];
  const fn = draft.functions[index];
  const sync = ["apigateway", "elasticloadbalancing", "cognito-idp", "alexa-appkit", "alexa-connectedhome", "lex"];
  const async = ["s3", "sns", "events", "scheduler", "logs", "iot", "ses", "codecommit", "config"];
  if (!sync.includes(service) && !async.includes(service)) {
    if (!principal.endsWith(".amazonaws.com")) return; // another account or role: a direct caller
    draft.warn(path, `invocations by ${principal} are not converted`);
    return;
  }
  if (fn.services.has(service)) return;
  fn.triggered = true;
  fn.services.add(service);
  const kind = sync.includes(service) ? "sync" : "async";
  draft.addInvocation(index, kind, `${principal} (permission ${id})`, kind === "sync" ? "the request rate" : "the event rate");
}
