import { describeValue } from "../common/inputError.js";
import { snapStartSupport } from "../model/features.js";
import type { JsonObject } from "./cloudFormation.js";
import type { ConversionDraft, FunctionDraft } from "./samDraft.js";

/*
 * SnapStart, tenant isolation and response streaming from a template: SnapStart.ApplyOn,
 * TenancyConfig.TenantIsolationMode and a function URL's InvokeMode (docs/lambda-behaviour.md#snapstart,
 * #tenant-isolation, #response-streaming). What AWS would refuse is reported and left out, so the
 * scenario written is one lambdasim accepts.
 */

/** Tenants of a converted tenant-isolated function: the template cannot say how many there are. */
const PLACEHOLDER_TENANTS = 100;
/** Response size of a converted streaming function: the template cannot say how large responses are. */
const PLACEHOLDER_RESPONSE_MB = 6;

export function readFunctionFeatures(
  draft: ConversionDraft,
  props: JsonObject,
  at: string,
  fields: JsonObject,
  notes: Record<string, string>,
  hasProvisioned: boolean,
  onManagedInstances: boolean,
): void {
  const snapStart = draft.readObject(props, "SnapStart", at);
  const applyOn = snapStart.ApplyOn === undefined ? undefined : draft.evaluator.evaluate(snapStart.ApplyOn);
  const runtime = String(fields.runtime);
  const storageMb = typeof fields.ephemeralStorageMb === "number" ? fields.ephemeralStorageMb : 512;
  if (applyOn === "PublishedVersions") {
    const refused = [
      ...(snapStartSupport(runtime) === "unsupported" ? [`runtime ${runtime} has no SnapStart`] : []),
      ...(hasProvisioned ? ["it cannot be combined with provisioned concurrency"] : []),
      ...(storageMb > 512 ? [`it supports ephemeral storage up to 512 MB, not ${storageMb}`] : []),
      ...(onManagedInstances ? ["the function runs on Lambda Managed Instances, which have no snapshots to restore"] : []),
    ];
    if (refused.length > 0) draft.warn(`${at}.SnapStart`, `not converted: ${refused.join("; ")}`);
    else {
      fields.snapStart = true;
      notes.snapStart = "restore: the default restore time (median 300 ms); set it to your Restore Duration";
    }
  } else if (applyOn !== undefined && applyOn !== "None") {
    draft.warn(`${at}.SnapStart.ApplyOn`, `expected PublishedVersions or None, got ${describeValue(applyOn)}; ignored`);
  }

  const tenancy = draft.readObject(props, "TenancyConfig", at);
  if (tenancy.TenantIsolationMode !== undefined) {
    const mode = draft.evaluator.evaluate(tenancy.TenantIsolationMode);
    if (mode !== "PER_TENANT") {
      draft.warn(`${at}.TenancyConfig.TenantIsolationMode`, `expected PER_TENANT, got ${describeValue(mode)}; ignored`);
    } else if (hasProvisioned || fields.snapStart === true || onManagedInstances) {
      draft.warn(
        `${at}.TenancyConfig`,
        "not converted: tenant isolation cannot be combined with provisioned concurrency, SnapStart or Lambda Managed Instances",
      );
    } else {
      fields.tenantIsolation = { tenants: PLACEHOLDER_TENANTS, popularity: "uniform" };
      notes.tenantIsolation = "placeholder: the number of tenants and how requests spread over them (uniform or { zipf: s })";
    }
  }
}

/** A function URL in RESPONSE_STREAM mode: the function streams its responses. */
export function readUrlInvokeMode(draft: ConversionDraft, fn: FunctionDraft, config: JsonObject, at: string): void {
  if (config.InvokeMode === undefined) return;
  const mode = draft.evaluator.evaluate(config.InvokeMode);
  if (mode === "RESPONSE_STREAM") {
    fn.fields.responseStreaming = { sizeMb: PLACEHOLDER_RESPONSE_MB };
    fn.notes.responseStreaming = "placeholder: the response size in MB (up to 200); bytes past 6 MB stream at 2 MB/s and are billed";
  } else if (mode !== "BUFFERED") {
    draft.warn(`${at}.InvokeMode`, `expected BUFFERED or RESPONSE_STREAM, got ${describeValue(mode)}; BUFFERED assumed`);
  }
  if (fn.fields.tenantIsolation !== undefined) {
    draft.warn(at, "AWS does not allow function URLs on a tenant-isolated function; converted as if it did");
  }
}
