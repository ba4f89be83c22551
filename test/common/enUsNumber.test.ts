import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { enUsNumber } from "../../src/common/enUsNumber.js";

/* enUsNumber must print exactly what toLocaleString("en-US") prints, which report.md used before. */

const intl = (value: number, digits?: number) =>
  digits === undefined
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const DIGITS = [undefined, 0, 1, 2, 3, 6];

describe("enUsNumber", () => {
  it.each([
    [1234567, undefined, "1,234,567"],
    [1234.5678, undefined, "1,234.568"],
    [1.005, 2, "1.01"], // the shortest decimal is rounded, not the double just below it
    [0.15, 1, "0.2"],
    [2.5, 0, "3"],
    [-2.5, 0, "-3"],
    [-0, 1, "-0.0"],
    [-0.04, 1, "-0.0"],
    [5e-7, 6, "0.000001"],
    [999.95, 1, "1,000.0"],
    [0.0001, undefined, "0"],
  ])("%s with %s decimals: %s, as Intl", (value, digits, text) => {
    expect(enUsNumber(value, digits)).toBe(text);
    expect(intl(value, digits)).toBe(text);
  });

  it("edge values: halves, near-halves, tiny, huge, not finite", () => {
    const values = [0, 0.5, 0.05, 0.25, 0.35, 1.0005, 0.125, 2.675, 8.345, 0.9995, 9.9999999, 5e-324, 1e-7, 1e20, 9.99e20];
    for (const v of [...values, 1e21, 1.7976931348623157e308, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const digits of DIGITS) {
        expect(enUsNumber(v, digits)).toBe(intl(v, digits));
        expect(enUsNumber(-v, digits)).toBe(intl(-v, digits));
      }
    }
  });

  it("any double, any number of decimals up to 6", () => {
    fc.assert(
      fc.property(fc.double(), fc.constantFrom(...DIGITS), (value, digits) => enUsNumber(value, digits) === intl(value, digits)),
      { numRuns: 20_000, seed: 12 },
    );
  });

  it("money and rates as reports write them: whole cents and halves of the last place", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 7 }), fc.constantFrom(...DIGITS), (n, scale, digits) => {
        const value = (n + 0.5) / 10 ** scale;
        return enUsNumber(value, digits) === intl(value, digits);
      }),
      { numRuns: 20_000, seed: 12 },
    );
  });
});
