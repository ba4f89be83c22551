import { readUrlInvokeMode } from "./samFeatures.js";
import { describeValue } from "../common/inputError.js";
import { isObject, type JsonObject } from "./cloudFormation.js";
import type { ConversionDraft } from "./samDraft.js";
import { addSqs, addStream } from "./samSources/index.js";

/* SAM's own triggers, a function's Events and FunctionUrlConfig, as workload entries. */

/** The AWS service behind each push-based SAM event type, as named in a Lambda permission's principal. */
const EVENT_SERVICES: Record<string, string> = {
  Api: "apigateway",
  HttpApi: "apigateway",
  S3: "s3",
  SNS: "sns",
  CloudWatchEvent: "events",
  EventBridgeRule: "events",
  Schedule: "events",
  ScheduleV2: "scheduler",
  CloudWatchLogs: "logs",
  IoTRule: "iot",
  Cognito: "cognito-idp",
  AlexaSkill: "alexa-appkit",
};

export function addFunctionEvents(draft: ConversionDraft, index: number): void {
  const fn = draft.functions[index];
  const resource = draft.resources[fn.logicalId] as JsonObject;
  const own = isObject(resource.Properties) ? resource.Properties : {};
  const at = `Resources.${fn.logicalId}.Properties`;
  if (own.FunctionUrlConfig !== undefined) {
    fn.triggered = true;
    readUrlInvokeMode(draft, fn, draft.readObject(own, "FunctionUrlConfig", at), `${at}.FunctionUrlConfig`);
    draft.addInvocation(index, "sync", "function URL (FunctionUrlConfig)", "the request rate");
  }
  if (!isObject(own.Events)) return;
  for (const [name, event] of Object.entries(own.Events)) {
    fn.triggered = true;
    const service = isObject(event) ? EVENT_SERVICES[String(event.Type)] : undefined;
    if (service) fn.services.add(service);
    const path = `${at}.Events.${name}`;
    if (!isObject(event)) {
      draft.warn(path, `expected a mapping with Type and Properties, got ${describeValue(event)}; skipped`);
      continue;
    }
    const props = isObject(event.Properties) ? event.Properties : {};
    addEvent(draft, index, String(event.Type), name, props, `${path}.Properties`);
  }
}

function addEvent(draft: ConversionDraft, index: number, type: string, name: string, props: JsonObject, path: string): void {
  const label = `${type} event ${name}`;
  switch (type) {
    case "Api":
    case "HttpApi": {
      const method = draft.readString(props, "Method", path, "any method");
      const route = draft.readString(props, "Path", path, "any path");
      const what = method || route ? ` (${[method?.toUpperCase(), route].filter(Boolean).join(" ")})` : "";
      draft.addInvocation(index, "sync", `${label}${what}`, "the request rate");
      return;
    }
    case "Cognito":
    case "AlexaSkill":
      draft.addInvocation(index, "sync", label, "the request rate");
      return;
    case "SNS":
      if (props.SqsSubscription !== undefined && props.SqsSubscription !== false) {
        draft.warnFilter(props, "FilterPolicy", path, "messages");
        // SAM creates the queue (with SQS's defaults) unless QueueArn names one.
        const subscription = isObject(props.SqsSubscription) ? props.SqsSubscription : {};
        addSqs(draft, index, `${label} through an SQS subscription queue`, subscription, `${path}.SqsSubscription`, subscription.QueueArn);
        return;
      }
      draft.warnFilter(props, "FilterPolicy", path, "events");
      draft.addInvocation(index, "async", label, "the event rate");
      return;
    case "S3":
    case "CloudWatchEvent":
    case "EventBridgeRule":
    case "CloudWatchLogs":
    case "IoTRule":
      if (draft.disabled(props, path)) return;
      draft.addInvocation(index, "async", label, "the event rate");
      return;
    case "Schedule":
    case "ScheduleV2": {
      if (draft.disabled(props, path)) return;
      draft.addSchedule(index, label, props, type === "Schedule" ? "Schedule" : "ScheduleExpression", path);
      if (isObject(props.FlexibleTimeWindow) && props.FlexibleTimeWindow.Mode === "FLEXIBLE") {
        draft.warn(`${path}.FlexibleTimeWindow`, "not modelled: invocations come at the exact scheduled times");
      }
      return;
    }
    case "SQS":
      addSqs(draft, index, label, props, path, props.Queue);
      return;
    case "Kinesis":
    case "DynamoDB":
      addStream(draft, index, label, type === "Kinesis" ? "kinesis" : "dynamodb-streams", props, path, props.Stream);
      return;
    case "MSK":
    case "MQ":
    case "SelfManagedKafka":
    case "DocumentDB":
      draft.warn(path, `${type} event sources are not modelled; no workload entry for ${label}`);
      return;
    default:
      draft.warn(path, `unknown event type ${JSON.stringify(type)}; skipped`);
  }
}
