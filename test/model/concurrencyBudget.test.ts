import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkConcurrencyBudget, concurrencyNeeded, type ConcurrencyClaim } from "../../src/model/concurrencyBudget.js";

const claim = fc.record({
  reserved: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  provisioned: fc.integer({ min: 0, max: 500 }),
});
/** Claims as Lambda accepts them per function: provisioned within the reservation. */
const admissible = fc.array(claim, { maxLength: 8 }).map((claims) =>
  claims.map(
    (c): ConcurrencyClaim => ({
      reserved: c.reserved,
      provisioned: c.reserved === undefined ? c.provisioned : Math.min(c.provisioned, c.reserved),
    }),
  ),
);

describe("the concurrency budget", () => {
  it("the limit concurrencyNeeded names is the smallest one the checks accept", () => {
    fc.assert(
      fc.property(admissible, fc.integer({ min: 0, max: 200 }), (claims, unreservedMinimum) => {
        const limit = concurrencyNeeded(claims, unreservedMinimum);
        expect(checkConcurrencyBudget(claims, { concurrencyLimit: limit, unreservedMinimum })).toEqual([]);
        if (limit > unreservedMinimum)
          expect(checkConcurrencyBudget(claims, { concurrencyLimit: limit - 1, unreservedMinimum }).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("names each function whose reservation passes what may be reserved, and provisioned above reserved", () => {
    const problems = checkConcurrencyBudget(
      [
        { reserved: 500, provisioned: 0 },
        { reserved: 500, provisioned: 600 },
        { reserved: undefined, provisioned: 10 },
      ],
      { concurrencyLimit: 1000, unreservedMinimum: 100 },
    );
    expect(problems).toEqual([
      { kind: "reserved-over-limit", index: 1, reserved: 500, reservedTotal: 1000, reservable: 900 },
      { kind: "provisioned-over-reserved", index: 1, provisioned: 600, reserved: 500 },
      // The unreserved pool is the limit less what could be reserved (900): 100, all of it the minimum.
      { kind: "unreserved-provisioned-over-pool", index: 2, unreservedProvisioned: 10, room: 0 },
    ]);
  });
});
