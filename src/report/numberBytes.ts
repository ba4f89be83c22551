/*
 * Numbers written as bytes straight into a buffer, exactly as String(x) prints them. A long CSV is
 * mostly numbers, and V8's generic double-to-string (shortest round trip) followed by string
 * concatenation and UTF-8 encoding costs several times more than writing digits. The two classes of
 * value a report holds are done by hand: whole numbers, and numbers with at most six decimals
 * (round(x, 6)); anything else falls back to String(x).
 */

/** Below this, a double's spacing is under 1e-6 (2^32 has spacing 2^-20), see putNumber. */
const FIXED_LIMIT = 2 ** 32;

/** Writes `text`, ASCII (as String(number) is), at `pos`; returns the position after it. */
export function putAscii(buf: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}

/** Writes the whole number `n`, 0 <= n < 2^53, in decimal at `pos`; returns the position after it. */
function putWhole(buf: Uint8Array, pos: number, n: number): number {
  let end = pos + 1;
  for (let p = 10; p <= n; p *= 10) end++;
  for (let i = end - 1; i >= pos; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/**
 * Writes String(value) at `pos` and returns the position after it. At most 25 bytes (the longest
 * String of a number, "-1.2345678901234567e-100", is 24).
 *
 * Why the fixed-point path is exact: if value is the double nearest m / 10^6 for a whole number m
 * (checked: m / 1e6 === value) and |value| < 2^32, then the decimal m·10^-6 reads back as value,
 * and every other decimal of at most six places is at least 1e-6 away from it, farther than the
 * spacing of doubles there; so m·10^-6, trailing zeros dropped, is the unique shortest decimal
 * that reads back as value: what String prints, in fixed notation since 1e-6 <= |value| < 1e21.
 *
 * Its digits: value is not whole (whole numbers went before), so m = k·10^6 + f with 1 <= f <= 999999,
 * and value, within half a spacing (< 4.8e-7) of m·10^-6, lies strictly between k and k + 1: its floor
 * is k, value - k is exact (the bits of value below its point), and (value - k)·10^6 is within 0.48
 * of f, so it rounds to f. Computed so, and not as m - k·10^6, no product of whole numbers can leave
 * the 32-bit range V8 assumes once it has seen only small ones: a latency over 2,147 ms late in a
 * long series would throw the optimized CSV writer away (bench/RESULTS.md).
 */
export function putNumber(buf: Uint8Array, pos: number, value: number): number {
  // Most cells of a time series are 0 or a small count: one digit (-0 too, which prints as "0").
  if (value >= 0 && value < 10 && value === Math.floor(value)) {
    buf[pos] = 48 + value;
    return pos + 1;
  }
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  if (Number.isSafeInteger(magnitude)) {
    if (negative) buf[pos++] = 45;
    return putWhole(buf, pos, magnitude);
  }
  const m = Math.round(magnitude * 1e6);
  if (magnitude >= FIXED_LIMIT || m / 1e6 !== magnitude) return putAscii(buf, pos, String(value));
  if (negative) buf[pos++] = 45;
  const whole = Math.floor(magnitude);
  let fraction = Math.round((magnitude - whole) * 1e6);
  pos = putWhole(buf, pos, whole);
  buf[pos++] = 46;
  // Six digits with leading zeros, less the trailing zeros (fraction > 0: value is not whole).
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  for (let i = pos + digits - 1; i >= pos; i--) {
    const q = Math.floor(fraction / 10);
    buf[i] = 48 + (fraction - q * 10);
    fraction = q;
  }
  return pos + digits;
}
