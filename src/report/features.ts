import type { FeatureCost } from "../cost/features.js";
import { FEATURE_COST_KEYS } from "../cost/features.js";
import type { FunctionSpec } from "../model/types.js";
import { round } from "./rounding.js";

/*
 * The summary's parts for SnapStart, tenant isolation and response streaming: present only for a
 * function (or a run) that uses the option, so other summaries keep their bytes.
 */

/** The option cost lines present, rounded as every USD figure is. */
export function featureCostLines(cost: FeatureCost): FeatureCost {
  const lines: FeatureCost = {};
  for (const key of FEATURE_COST_KEYS) if (cost[key] !== undefined) lines[key] = round(cost[key], 10);
  return lines;
}

/** The options a function has on, as configured. */
export function featureConfig(spec: FunctionSpec) {
  return {
    ...(spec.snapStartRestore !== undefined && { snapStart: true }),
    ...(spec.tenantIsolation !== undefined && { tenantIsolation: spec.tenantIsolation }),
    ...(spec.responseStreamingMb !== undefined && { responseStreaming: { sizeMb: spec.responseStreamingMb } }),
  };
}

/** `snapStart.restores`: the snapshot restores in the window (a SnapStart function's cold starts). */
export function featureBlocks(spec: FunctionSpec, coldStarts: number) {
  return spec.snapStartRestore === undefined ? {} : { snapStart: { restores: coldStarts } };
}
