import type { SourceKind } from "../sources/kinds.js";
import { describeValue } from "../common/inputError.js";
import { isObject, showIntrinsic, type Json, type JsonObject } from "./cloudFormation.js";
import { formatSeconds } from "./formatSeconds.js";
import { scheduleInterval } from "./scheduleExpressions.js";
import { TemplateReader } from "./samTemplateReader.js";

/*
 * The scenario being built by `lambdasim from-sam`: its functions and workload entries, each kept
 * with the notes written beside it, and the lookups every kind of trigger shares.
 */

// Placeholders: valid values that keep the skeleton runnable, each marked in the output.
/** One unit per second: visibly arbitrary and easy to scale to the real rate. */
export const PLACEHOLDER_RATE = 1;
export const PLACEHOLDER_DURATION = "100ms";
/** Simulated span unless a schedule needs longer to fire at least once. */
export const PLACEHOLDER_SPAN_SECONDS = 3600;

export type Invocation = "sync" | "async";

export interface AsyncConfig {
  maximumRetryAttempts?: number;
  maximumEventAge?: string;
  onFailure?: "dlq";
}

export interface FunctionDraft {
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

export interface WorkloadDraft {
  functionIndex: number;
  /** Where the entry comes from, written above it. */
  origin: string;
  entry: JsonObject;
  notes: Record<string, string>;
  /** The invocation path that delivers it, which finishes the entry (src/tooling/samSources). */
  kind: SourceKind;
}

export class ConversionDraft extends TemplateReader {
  readonly functions: FunctionDraft[] = [];
  readonly functionByLogicalId = new Map<string, number>();
  readonly workload: WorkloadDraft[] = [];
  longestScheduleInterval = 0;

  /** The function a FunctionName, Arn or Endpoint value names: by reference (also through an alias or version), name or ARN. */
  functionFor(value: Json | undefined, path: string, warnIfMissing = true): number | undefined {
    for (const id of this.evaluator.references(value)) {
      const direct = this.functionByLogicalId.get(id);
      if (direct !== undefined) return direct;
      const resource = this.resources[id];
      if (isObject(resource) && (resource.Type === "AWS::Lambda::Alias" || resource.Type === "AWS::Lambda::Version")) {
        const target = isObject(resource.Properties) ? resource.Properties.FunctionName : undefined;
        const viaAlias = this.evaluator
          .references(target)
          .map((ref) => this.functionByLogicalId.get(ref))
          .find((i) => i !== undefined);
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

  addInvocation(index: number, invocation: Invocation, origin: string, what: string): void {
    this.workload.push({
      functionIndex: index,
      origin,
      entry: { function: this.functions[index].name, invocation, arrivals: { poisson: { rate: PLACEHOLDER_RATE } } },
      notes: { arrivals: `placeholder: ${what} (per second), or another arrival form` },
      kind: invocation,
    });
  }

  addSchedule(index: number, label: string, props: JsonObject, key: string, path: string): void {
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
      kind: "async",
    });
  }
}

/** The fields that are set, in the order the scenario lists them. */
export function pick(entry: JsonObject, order: string[]): JsonObject {
  return Object.fromEntries(order.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
}
