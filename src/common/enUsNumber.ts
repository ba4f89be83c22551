/*
 * Numbers as `toLocaleString("en-US")` prints them, without Intl: the first Intl number format a
 * process creates loads ICU's locale data, about 40 ms, which was a sixth of a small `run`
 * (bench/RESULTS.md, "Start-up"). Intl rounds the shortest decimal that reads back as the number
 * (String(value)), half away from zero: 1.005 to two places is 1.01, although the double is just
 * below 1.005 and toFixed gives 1.00. So does this. test/common/enUsNumber.test.ts holds the two
 * to the same text.
 */

const FORMAT = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * `value.toLocaleString("en-US")` (up to three decimals, none trailing) or, with `digits`,
 * `value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })`.
 */
export function enUsNumber(value: number, digits?: number): string {
  const places = digits ?? 3;
  // Beyond 1e21 String() writes an exponent that is not worth unfolding here: Intl, as ever.
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) {
    return value.toLocaleString("en-US", { minimumFractionDigits: digits ?? 0, maximumFractionDigits: places });
  }
  const [, whole, fraction = "", exponent = "0"] = FORMAT.exec(String(Math.abs(value))) as RegExpExecArray;
  // The decimal digits and where the point stands among them, zeros added so it stands inside.
  let all = whole + fraction;
  let point = whole.length + Number(exponent);
  if (point < 0) {
    all = "0".repeat(-point) + all;
    point = 0;
  }
  all = all.padEnd(point + places, "0");
  let kept = all.slice(0, point + places);
  if (all.length > kept.length && all[kept.length] >= "5") kept = String(BigInt(kept) + 1n).padStart(kept.length, "0");
  const integer = kept.slice(0, kept.length - places).replace(/^0+(?=\d)/, "") || "0";
  let decimals = kept.slice(kept.length - places);
  if (digits === undefined) decimals = decimals.replace(/0+$/, "");
  // Intl writes the sign of every negative number, -0 and those that round to 0 included.
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  return sign + integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (decimals === "" ? "" : `.${decimals}`);
}
