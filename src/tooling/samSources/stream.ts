import { describeValue } from "../../common/inputError.js";
import { isObject, type Json, type JsonObject } from "../cloudFormation.js";
import { formatSeconds } from "../formatSeconds.js";
import { PLACEHOLDER_RATE, pick, type ConversionDraft } from "../samDraft.js";
import { commonMappingSettings, mappingEnabled } from "./mappings.js";
import type { SamSource } from "./source.js";

/* A Kinesis or DynamoDB stream trigger as a workload entry, with the settings of its mapping and stream. */

/** An on-demand Kinesis stream starts with 4 shards. */
const ON_DEMAND_INITIAL_SHARDS = 4;

export function addStream(
  draft: ConversionDraft,
  index: number,
  origin: string,
  source: "kinesis" | "dynamodb-streams",
  props: JsonObject,
  path: string,
  streamRef: Json | undefined,
): void {
  if (!mappingEnabled(draft, props, path)) return;
  const fn = draft.functions[index];
  const entry: JsonObject = { function: fn.name, source, records: { poisson: { rate: PLACEHOLDER_RATE } } };
  const notes: Record<string, string> = { records: "placeholder: the rate records are written to the stream (per second)" };
  const types =
    source === "kinesis"
      ? ["AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer"]
      : ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"];
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
      source === "kinesis"
        ? "placeholder: the stream is not defined in the template"
        : "placeholder: a DynamoDB stream has about one shard per table partition";
    if (source === "kinesis") draft.warn(path, "the stream is not defined in the template: its shard count is a placeholder");
    else if (stream && streamProps.StreamSpecification === undefined)
      draft.warn(`Resources.${stream.id}`, "has no StreamSpecification, so no stream to read");
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
  draft.workload.push({ functionIndex: index, origin, entry, notes, kind: "stream" });
}

export const samStream: SamSource = {
  finish: (entry) =>
    pick(entry, [
      "function",
      "source",
      "records",
      "shards",
      "batchSize",
      "batchingWindow",
      "parallelizationFactor",
      "maximumRetryAttempts",
      "maximumRecordAge",
      "bisectBatchOnFunctionError",
      "reportBatchItemFailures",
      "retention",
      "onFailure",
    ]),
};
