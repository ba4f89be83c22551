import { isObject, type Json, type JsonObject } from "../cloudFormation.js";
import { formatSeconds } from "../formatSeconds.js";
import { PLACEHOLDER_RATE, pick, type ConversionDraft } from "../samDraft.js";
import { commonMappingSettings, mappingEnabled } from "./mappings.js";
import type { SamSource } from "./source.js";

/*
 * An SQS trigger as a workload entry, with the settings of the mapping and of the queue it reads,
 * corrected where Lambda would refuse them.
 */

/** SQS's default visibility timeout, and the multiple of the function timeout AWS recommends. */
const SQS_DEFAULT_VISIBILITY_S = 30;
const RECOMMENDED_VISIBILITY_FACTOR = 6;
const SQS_MAX_VISIBILITY_S = 43200;

export function addSqs(
  draft: ConversionDraft,
  index: number,
  origin: string,
  props: JsonObject,
  path: string,
  queueRef: Json | undefined,
): void {
  if (!mappingEnabled(draft, props, path)) return;
  const fn = draft.functions[index];
  const entry: JsonObject = { function: fn.name, source: "sqs", messages: { poisson: { rate: PLACEHOLDER_RATE } } };
  const notes: Record<string, string> = { messages: "placeholder: the rate messages are sent to the queue (per second)" };
  commonMappingSettings(draft, props, path, entry);
  const scaling = draft.readObject(props, "ScalingConfig", path);
  const maximumConcurrency = draft.readInteger(scaling, "MaximumConcurrency", `${path}.ScalingConfig`, 2, 1000, "no cap assumed");
  if (maximumConcurrency !== undefined) entry.maximumConcurrency = maximumConcurrency;
  readProvisionedPollers(draft, props, path, entry);

  const queue = queueRef === undefined ? undefined : draft.referencedResource(queueRef, ["AWS::SQS::Queue"]);
  let visibility = SQS_DEFAULT_VISIBILITY_S;
  if (queue) {
    const at = `Resources.${queue.id}.Properties`;
    const queueProps = isObject(queue.resource.Properties) ? queue.resource.Properties : {};
    visibility =
      draft.readInteger(queueProps, "VisibilityTimeout", at, 0, SQS_MAX_VISIBILITY_S, "SQS's default 30 s assumed") ?? visibility;
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
    draft.warn(
      path,
      `the queue is not defined in the template; visibility timeout ${formatSeconds(visibility)} (AWS's recommended 6 x the function timeout) and SQS's other defaults assumed`,
    );
  }
  if (visibility < fn.timeoutSeconds) {
    draft.warn(
      path,
      `the queue's visibility timeout (${visibility} s) is below the function timeout (${fn.timeoutSeconds} s), which Lambda refuses; raised to ${fn.timeoutSeconds} s`,
    );
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
  draft.workload.push({ functionIndex: index, origin, entry, notes, kind: "sqs" });
}

/**
 * ProvisionedPollerConfig: provisioned mode's poller bounds (AWS's defaults 2 and 200). Lambda
 * refuses it beside ScalingConfig.MaximumConcurrency and a minimum above the maximum; the draft
 * keeps provisioned mode, and lowers the minimum to the maximum.
 */
function readProvisionedPollers(draft: ConversionDraft, props: JsonObject, path: string, entry: JsonObject): void {
  if (props.ProvisionedPollerConfig === undefined) return;
  const config = draft.readObject(props, "ProvisionedPollerConfig", path);
  const at = `${path}.ProvisionedPollerConfig`;
  const minimum = draft.readInteger(config, "MinimumPollers", at, 2, 200, "AWS's default 2 assumed");
  const maximum = draft.readInteger(config, "MaximumPollers", at, 2, 10000, "AWS's default 200 assumed");
  const pollers: JsonObject = {};
  if (minimum !== undefined) pollers.minimum = minimum;
  if (maximum !== undefined) pollers.maximum = maximum;
  if ((minimum ?? 2) > (maximum ?? 200)) {
    draft.warn(
      `${at}.MinimumPollers`,
      `${minimum} is above MaximumPollers (${maximum ?? 200}), which Lambda refuses; ${maximum ?? 200} used`,
    );
    pollers.minimum = maximum ?? 200;
  }
  entry.provisionedPollers = pollers;
  if (entry.maximumConcurrency !== undefined) {
    draft.warn(
      `${path}.ScalingConfig`,
      "Lambda takes MaximumConcurrency or ProvisionedPollerConfig, not both; provisioned mode kept, MaximumConcurrency dropped",
    );
    delete entry.maximumConcurrency;
  }
}

export const samSqs: SamSource = {
  finish: (entry) =>
    pick(entry, [
      "function",
      "source",
      "messages",
      "batchSize",
      "batchingWindow",
      "maximumConcurrency",
      "provisionedPollers",
      "visibilityTimeout",
      "maxReceiveCount",
      "messageRetention",
      "reportBatchItemFailures",
      "fifo",
    ]),
};
