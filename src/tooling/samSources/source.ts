import type { JsonObject } from "../cloudFormation.js";
import type { FunctionDraft } from "../samDraft.js";

/** How the SAM importer writes one invocation path's workload entries. */
export interface SamSource {
  /** The entry as the scenario shows it: fields in the schema's order, and the function's settings the path takes. */
  finish(entry: JsonObject, fn: FunctionDraft): JsonObject;
}
