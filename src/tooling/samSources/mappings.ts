import type { JsonObject } from "../cloudFormation.js";
import { formatSeconds } from "../formatSeconds.js";
import type { TemplateReader } from "../samTemplateReader.js";

/* What every poll-based trigger (SQS queues, Kinesis and DynamoDB streams) reads the same way. */

export function mappingEnabled(reader: TemplateReader, props: JsonObject, path: string): boolean {
  if (props.Enabled !== undefined && reader.readBoolean(props, "Enabled", path, "taken as enabled") === false) {
    reader.warn(path, "disabled in the template: no workload entry");
    return false;
  }
  return true;
}

/** Settings common to every poll-based source; warns of the ones the simulator does not model. */
export function commonMappingSettings(reader: TemplateReader, props: JsonObject, path: string, entry: JsonObject): void {
  const batchSize = reader.readInteger(props, "BatchSize", path, 1, 10000, "the default batch size assumed");
  if (batchSize !== undefined) entry.batchSize = batchSize;
  const window = reader.readInteger(props, "MaximumBatchingWindowInSeconds", path, 0, 300, "no batching window assumed");
  if (window !== undefined && window > 0) entry.batchingWindow = formatSeconds(window);
  const types = reader.read(props, "FunctionResponseTypes", path, "not reported");
  if (Array.isArray(types) && types.includes("ReportBatchItemFailures")) entry.reportBatchItemFailures = true;
  reader.warnFilter(props, "FilterCriteria", path, "records");
  if (props.TumblingWindowInSeconds !== undefined)
    reader.warn(`${path}.TumblingWindowInSeconds`, "not modelled: batches are not grouped into windows");
  // SQS reads it (samSources/sqs.ts); streams have no provisioned mode in the simulator.
  if (props.ProvisionedPollerConfig !== undefined && entry.source !== "sqs")
    reader.warn(`${path}.ProvisionedPollerConfig`, "not modelled: pollers scale on demand");
}
