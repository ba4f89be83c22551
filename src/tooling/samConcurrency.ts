import { concurrencyNeeded } from "../model/concurrencyBudget.js";
import { scenarioSchema } from "../scenario/schema.js";
import type { JsonObject } from "./cloudFormation.js";
import type { ConversionDraft } from "./samDraft.js";

/** The account the scenario assumes unless reservations need a larger one. */
const ACCOUNT_DEFAULTS = scenarioSchema.shape.account.parse(undefined);

/** Applies provisioned concurrency and keeps the reservations valid; returns the account block if one is needed. */
export function settleConcurrency(draft: ConversionDraft): JsonObject | undefined {
  for (const fn of draft.functions) {
    const path = `Resources.${fn.logicalId}`;
    if (fn.provisioned.length > 0) {
      let total = fn.provisioned.reduce((sum, part) => sum + part.value, 0);
      if (fn.provisioned.length > 1) {
        draft.warn(
          path,
          `provisioned concurrency on ${fn.provisioned.map((p) => `${p.where} (${p.value})`).join(" and ")}: the simulator has one pool per function, so their sum ${total} is used`,
        );
      }
      const reserved = fn.fields.reservedConcurrency;
      if (typeof reserved === "number" && total > reserved) {
        draft.warn(
          path,
          `provisioned concurrency ${total} exceeds the reserved concurrency ${reserved}, which Lambda refuses; ${reserved} used`,
        );
        total = reserved;
      }
      if (total > 0) {
        fn.fields.provisionedConcurrency = total;
        fn.notes.provisionedConcurrency = fn.provisioned.map((p) => p.where).join(" + ");
      }
    }
  }
  const claims = draft.functions.map(({ fields }) => ({
    reserved: typeof fields.reservedConcurrency === "number" ? fields.reservedConcurrency : undefined,
    provisioned: typeof fields.provisionedConcurrency === "number" ? fields.provisionedConcurrency : 0,
  }));
  const { concurrencyLimit, unreservedMinimum } = ACCOUNT_DEFAULTS;
  const needed = concurrencyNeeded(claims, unreservedMinimum);
  if (needed <= concurrencyLimit) return undefined;
  draft.warn(
    "Resources",
    `reserved and provisioned concurrency total ${needed - unreservedMinimum}, more than an account limit of ${concurrencyLimit} allows with ${unreservedMinimum} kept unreserved; account.concurrencyLimit set to ${needed}`,
  );
  return { concurrencyLimit: needed };
}
