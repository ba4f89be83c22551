import { describeValue } from "../common/inputError.js";
import { isObject, type Json, type JsonObject } from "./cloudFormation.js";
import { formatSeconds } from "./formatSeconds.js";
import { PLACEHOLDER_RATE, pick, type ConversionDraft } from "./samDraft.js";
import type { TemplateReader } from "./samTemplateReader.js";

/*
 * Poll-based triggers (SQS queues, Kinesis and DynamoDB streams) as workload entries, with the
 * settings of the event source mapping and of the queue or stream it reads, corrected where
 * Lambda would refuse them.
 */

/** SQS's default visibility timeout, and the multiple of the function timeout AWS recommends. */
const SQS_DEFAULT_VISIBILITY_S = 30;
const RECOMMENDED_VISIBILITY_FACTOR = 6;
const SQS_MAX_VISIBILITY_S = 43200;
/** An on-demand Kinesis stream starts with 4 shards. */
const ON_DEMAND_INITIAL_SHARDS = 4;

function mappingEnabled(reader: TemplateReader, props: JsonObject, path: string): boolean {
  if (props.Enabled !== undefined && reader.readBoolean(props, "Enabled", path, "taken as enabled") === false) {
    reader.warn(path, "disabled in the template: no workload entry");
    return false;
  }
  return true;
}

/** Settings common to every poll-based source; warns of the ones the simulator does not model. */
function commonMappingSettings(reader: TemplateReader, props: JsonObject, path: string, entry: JsonObject): void {
  const batchSize = reader.readInteger(props, "BatchSize", path, 1, 10000, "the default batch size assumed");
  if (batchSize !== undefined) entry.batchSize = batchSize;
  const window = reader.readInteger(props, "MaximumBatchingWindowInSeconds", path, 0, 300, "no batching window assumed");
  if (window !== undefined && window > 0) entry.batchingWindow = formatSeconds(window);
  const types = reader.read(props, "FunctionResponseTypes", path, "not reported");
  if (Array.isArray(types) && types.includes("ReportBatchItemFailures")) entry.reportBatchItemFailures = true;
  reader.warnFilter(props, "FilterCriteria", path, "records");
  if (props.TumblingWindowInSeconds !== undefined) reader.warn(`${path}.TumblingWindowInSeconds`, "not modelled: batches are not grouped into windows");
  if (props.ProvisionedPollerConfig !== undefined) reader.warn(`${path}.ProvisionedPollerConfig`, "not modelled: pollers scale on demand");
}

export function addSqs(draft: ConversionDraft, index: number, origin: string, props: JsonObject, path: string, queueRef: Json | undefined): void {
  if (!mappingEnabled(draft, props, path)) return;
  const fn = draft.functions[index];
  const entry: JsonObject = { function: fn.name, source: "sqs", messages: { poisson: { rate: PLACEHOLDER_RATE } } };
  const notes: Record<string, string> = { messages: "placeholder: the rate messages are sent to the queue (per second)" };
  commonMappingSettings(draft, props, path, entry);
  const scaling = draft.readObject(props, "ScalingConfig", path);
  const maximumConcurrency = draft.readInteger(scaling, "MaximumConcurrency", `${path}.ScalingConfig`, 2, 1000, "no cap assumed");
  if (maximumConcurrency !== undefined) entry.maximumConcurrency = maximumConcurrency;

  const queue = queueRef === undefined ? undefined : draft.referencedResource(queueRef, ["AWS::SQS::Queue"]);
  let visibility = SQS_DEFAULT_VISIBILITY_S;
  if (queue) {
    const at = `Resources.${queue.id}.Properties`;
    const queueProps = isObject(queue.resource.Properties) ? queue.resource.Properties : {};
    visibility = draft.readInteger(queueProps, "VisibilityTimeout", at, 0, SQS_MAX_VISIBILITY_S, "SQS's default 30 s assumed") ?? visibility;
    const retention = draft.readInteger(queueProps, "MessageRetentionPeriod", at, 60, 1209600, "SQS's default 4 days assumed");
    if (retention !== undefined) entry.messageRetention = formatSeconds(retention);
    const redrive = draft.readObject(queueProps, "RedrivePolicy", at);
    const maxReceiveCount = draft.readInteger(redrive, "maxReceiveCount", `${at}.RedrivePolicy`, 1, 1000, "no redrive assumed");
    if (maxReceiveCount !== undefined) entry.maxReceiveCount = maxReceiveCount;
    if (draft.readBoolean(queueProps, "FifoQueue", at, "a standard queue assumed")) entry.fifo = true;
    const delay = draft.readInteger(queueProps, "DelaySeconds", at, 0, 900, "no delay assumed");
    if (delay) draft.warn(`${at}.DelaySeconds`, "not modelled: messages are visible as soon as they are sent");
  } else if (queueRef !== undefined) {
    // The queue lives elsewhere; Lambda refuses a mapping whose queue hides messages for less than the timeout.
    visibility = Math.max(SQS_DEFAULT_VISIBILITY_S, Math.min(SQS_MAX_VISIBILITY_S, RECOMMENDED_VISIBILITY_FACTOR * fn.timeoutSeconds));
    draft.warn(path, `the queue is not defined in the template; visibility timeout ${formatSeconds(visibility)} (AWS's recommended 6 x the function timeout) and SQS's other defaults assumed`);
  }
  if (visibility < fn.timeoutSeconds) {
    draft.warn(path, `the queue's visibility timeout (${visibility} s) is below the function timeout (${fn.timeoutSeconds} s), which Lambda refuses; raised to ${fn.timeoutSeconds} s`);
    visibility = fn.timeoutSeconds;
  }
  entry.visibilityTimeout = formatSeconds(visibility);
  const batchSize = typeof entry.batchSize === "number" ? entry.batchSize : 10;
  if (entry.fifo && entry.batchingWindow !== undefined) {
    draft.warn(`${path}.MaximumBatchingWindowInSeconds`, "Lambda takes no batching window for a FIFO queue; none used");
    delete entry.batchingWindow;
  }
  if (entry.fifo && batchSize > 10) {
    draft.warn(`${path}.BatchSize`, `${batchSize} is above the FIFO maximum of 10; 10 used`);
    entry.batchSize = 10;
  } else if (batchSize > 10 && entry.batchingWindow === undefined) {
    draft.warn(`${path}.BatchSize`, "above 10 needs a batching window of at least 1 s, which Lambda requires; 1 s used");
    entry.batchingWindow = "1s";
  }
  draft.workload.push({ functionIndex: index, origin, entry: orderSqs(entry), notes, async: false });
}

export function addStream(draft: ConversionDraft, index: number, origin: string, source: "kinesis" | "dynamodb-streams", props: JsonObject, path: string, streamRef: Json | undefined): void {
  if (!mappingEnabled(draft, props, path)) return;
  const fn = draft.functions[index];
  const entry: JsonObject = { function: fn.name, source, records: { poisson: { rate: PLACEHOLDER_RATE } } };
  const notes: Record<string, string> = { records: "placeholder: the rate records are written to the stream (per second)" };
  const types = source === "kinesis" ? ["AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer"] : ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"];
  let stream = streamRef === undefined ? undefined : draft.referencedResource(streamRef, types);
  if (stream?.resource.Type === "AWS::Kinesis::StreamConsumer") {
    draft.warn(path, "an enhanced fan-out consumer: records are pushed rather than polled, modelled as polling");
    const consumer = isObject(stream.resource.Properties) ? stream.resource.Properties : {};
    stream = draft.referencedResource(consumer.StreamARN, ["AWS::Kinesis::Stream"]);
  }
  const streamProps = stream && isObject(stream.resource.Properties) ? stream.resource.Properties : {};
  if (source === "kinesis" && stream) {
    const at = `Resources.${stream.id}.Properties`;
    const mode = isObject(streamProps.StreamModeDetails) ? draft.evaluator.evaluate(streamProps.StreamModeDetails.StreamMode) : undefined;
    if (mode === "ON_DEMAND") {
      entry.shards = ON_DEMAND_INITIAL_SHARDS;
      notes.shards = "an on-demand stream starts with 4 shards and adds more as writes grow";
    } else {
      entry.shards = draft.readInteger(streamProps, "ShardCount", at, 1, 100000, "1 shard assumed") ?? 1;
    }
    const hours = draft.readInteger(streamProps, "RetentionPeriodHours", at, 24, 8760, "24 h assumed");
    if (hours !== undefined && hours !== 24) entry.retention = formatSeconds(hours * 3600);
  } else {
    entry.shards = 1;
    notes.shards =
      source === "kinesis" ? "placeholder: the stream is not defined in the template" : "placeholder: a DynamoDB stream has about one shard per table partition";
    if (source === "kinesis") draft.warn(path, "the stream is not defined in the template: its shard count is a placeholder");
    else if (stream && streamProps.StreamSpecification === undefined) draft.warn(`Resources.${stream.id}`, "has no StreamSpecification, so no stream to read");
  }
  commonMappingSettings(draft, props, path, entry);
  const factor = draft.readInteger(props, "ParallelizationFactor", path, 1, 10, "1 assumed");
  if (factor !== undefined) entry.parallelizationFactor = factor;
  const retries = draft.readInteger(props, "MaximumRetryAttempts", path, -1, 10000, "retries until the record expires assumed");
  if (retries !== undefined) entry.maximumRetryAttempts = retries;
  const age = draft.read(props, "MaximumRecordAgeInSeconds", path, "no age limit assumed");
  if (age !== undefined) {
    const seconds = Number(age);
    if (seconds === -1) entry.maximumRecordAge = -1;
    else if (Number.isInteger(seconds) && seconds >= 60 && seconds <= 604800) entry.maximumRecordAge = formatSeconds(seconds);
    else draft.warn(`${path}.MaximumRecordAgeInSeconds`, `expected -1 or 60 to 604800, got ${describeValue(age)}; no age limit assumed`);
  }
  if (draft.readBoolean(props, "BisectBatchOnFunctionError", path, "no bisection assumed")) entry.bisectBatchOnFunctionError = true;
  const destinations = draft.readObject(props, "DestinationConfig", path);
  if (destinations.OnFailure !== undefined) entry.onFailure = "dlq";
  draft.workload.push({ functionIndex: index, origin, entry: orderStream(entry), notes, async: false });
}

function orderSqs(entry: JsonObject): JsonObject {
  return pick(entry, ["function", "source", "messages", "batchSize", "batchingWindow", "maximumConcurrency", "visibilityTimeout", "maxReceiveCount", "messageRetention", "reportBatchItemFailures", "fifo"]);
}

function orderStream(entry: JsonObject): JsonObject {
  return pick(entry, ["function", "source", "records", "shards", "batchSize", "batchingWindow", "parallelizationFactor", "maximumRetryAttempts", "maximumRecordAge", "bisectBatchOnFunctionError", "reportBatchItemFailures", "retention", "onFailure"]);
}
