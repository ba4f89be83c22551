/*
 * How reservations share the account's concurrency (docs/lambda-behaviour.md#reserved-concurrency):
 * reserved concurrency totals at most the limit minus the unreserved minimum, a function's
 * provisioned concurrency fits within its reservation, and the provisioned concurrency of
 * functions without one comes out of the unreserved pool, which keeps the minimum free. The
 * scenario compiler refuses what breaks these; the SAM importer raises the limit until they hold.
 */

export interface ConcurrencyClaim {
  reserved: number | undefined;
  /** The most provisioned environments the function is ever given. */
  provisioned: number;
}

export interface AccountBudget {
  concurrencyLimit: number;
  unreservedMinimum: number;
}

export type BudgetProblem =
  | { kind: "reserved-over-limit"; index: number; reserved: number; reservedTotal: number; reservable: number }
  | { kind: "provisioned-over-reserved"; index: number; provisioned: number; reserved: number }
  | { kind: "unreserved-provisioned-over-pool"; index: number; unreservedProvisioned: number; room: number };

/** The smallest account limit under which the claims fit. */
export function concurrencyNeeded(claims: readonly ConcurrencyClaim[], unreservedMinimum: number): number {
  let needed = unreservedMinimum;
  for (const claim of claims) needed += claim.reserved ?? claim.provisioned;
  return needed;
}

/** What breaks the rules above, in the order of the claims; `index` is the claim's position. */
export function checkConcurrencyBudget(claims: readonly ConcurrencyClaim[], account: AccountBudget): BudgetProblem[] {
  const problems: BudgetProblem[] = [];
  const reservable = account.concurrencyLimit - account.unreservedMinimum;
  let reservedTotal = 0;
  let unreservedProvisioned = 0;
  claims.forEach(({ reserved, provisioned }, index) => {
    if (reserved === undefined) {
      unreservedProvisioned += provisioned;
      return;
    }
    reservedTotal += reserved;
    if (reservedTotal > reservable) problems.push({ kind: "reserved-over-limit", index, reserved, reservedTotal, reservable });
    if (provisioned > reserved) problems.push({ kind: "provisioned-over-reserved", index, provisioned, reserved });
  });
  const room = account.concurrencyLimit - Math.min(reservedTotal, reservable) - account.unreservedMinimum;
  if (unreservedProvisioned > room) {
    const index = claims.findIndex((claim) => claim.reserved === undefined && claim.provisioned > 0);
    problems.push({ kind: "unreserved-provisioned-over-pool", index, unreservedProvisioned, room: Math.max(0, room) });
  }
  return problems;
}
