import { FEATURE_COST_KEYS, type FeatureCost } from "../cost/features.js";
import type { Summary } from "./summary.js";

/*
 * Cost lines summary.json carries only for a run that uses what they price (SQS provisioned
 * pollers, SnapStart, tenant isolation, response streaming, Lambda Managed Instances). Each
 * becomes a column of the cost tables and a part of the cost chart where the run has it, so the
 * columns add up to the totals and other runs' reports keep the columns they always had.
 */

const MANAGED_INSTANCES_KEYS = ["managedInstancesEc2Usd", "managedInstancesFeeUsd"] as const;

/** Every optional cost line, in the fixed order of the tables, the sweep columns and `compare`. */
export const OPTIONAL_COST_KEYS = ["pollersUsd", ...FEATURE_COST_KEYS, ...MANAGED_INSTANCES_KEYS] as const;

export type OptionalKey = (typeof OPTIONAL_COST_KEYS)[number];
type OptionalLines = { pollersUsd?: number; managedInstancesEc2Usd?: number; managedInstancesFeeUsd?: number } & FeatureCost;

/** Each optional line's name in tables. */
export const OPTIONAL_COST_LABELS: Readonly<Record<OptionalKey, string>> = {
  pollersUsd: "SQS pollers",
  snapStartCacheUsd: "SnapStart cache",
  snapStartRestoreUsd: "SnapStart restores",
  tenantIsolationUsd: "tenant isolation",
  streamingUsd: "response streaming",
  managedInstancesEc2Usd: "managed instances EC2",
  managedInstancesFeeUsd: "management fee",
};

export interface CostColumn {
  key: OptionalKey;
  label: string;
  /** The line's dollars in a cost block (a function's or the totals', window or month); 0 where absent. */
  of: (cost: OptionalLines) => number;
}

/** The optional cost lines this run has, in a fixed order. */
export function optionalCostColumns(s: Summary): CostColumn[] {
  return OPTIONAL_COST_KEYS.filter((key) => key in s.totals.cost).map((key) => ({
    key,
    label: OPTIONAL_COST_LABELS[key],
    of: (cost: OptionalLines) => cost[key] ?? 0,
  }));
}
