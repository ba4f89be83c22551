import { describe, expect, it } from "vitest";
import { putNumber } from "../../src/report/numberBytes.js";
import { round } from "../../src/report/rounding.js";

/*
 * putNumber must write exactly String(x): timeseries.csv's bytes depend on it. Checked against
 * String itself over every class it does by hand (whole numbers, six decimals at most), at the
 * edges of its fixed-point range, and on values it must leave to String.
 */

const buf = new Uint8Array(64);
const written = (x: number) => Buffer.from(buf.subarray(0, putNumber(buf, 0, x))).toString("latin1");

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mismatches(values: Iterable<number>): string[] {
  const wrong: string[] = [];
  for (const x of values) if (written(x) !== String(x) && wrong.length < 5) wrong.push(`${String(x)} written as ${written(x)}`);
  return wrong;
}

describe("putNumber", () => {
  it("writes every multiple of 1e-6 from -3 to 3 as String does", () => {
    function* all() {
      for (let m = -3_000_000; m <= 3_000_000; m++) yield m / 1e6;
    }
    expect(mismatches(all())).toEqual([]);
  });

  it("writes round(x, 6) of random x over every magnitude from 1e-8 to 1e22 as String does", () => {
    const next = random(12);
    function* values() {
      for (let i = 0; i < 400_000; i++) {
        const x = 10 ** (next() * 30 - 8) * (next() < 0.5 ? -1 : 1);
        yield round(x, 6);
        yield x;
      }
    }
    expect(mismatches(values())).toEqual([]);
  });

  it("writes six-decimal values next to the 2^32 limit, and next to whole numbers, as String does", () => {
    const next = random(7);
    function* values() {
      for (const centre of [2 ** 32, 2 ** 31, 1e9, 4e9, 1, 10, 1e6]) {
        for (let d = -2000; d <= 2000; d++) yield (Math.round(centre * 1e6) + d) / 1e6;
      }
      for (let i = 0; i < 200_000; i++) {
        const m = Math.floor(next() * 2 ** 32) * 1e6 + Math.floor(next() * 1e6);
        yield m / 1e6;
        yield (m + (next() < 0.5 ? 1 : 999_999)) / 1e6;
      }
    }
    expect(mismatches(values())).toEqual([]);
  });

  it("writes whole numbers up to 2^53 and beyond, zero, -0 and the non-finite as String does", () => {
    const next = random(3);
    const specials = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      99,
      100,
      2 ** 31,
      2 ** 32,
      2 ** 53 - 1,
      2 ** 53,
      2 ** 60,
      1e21,
      1e22,
      -1e21,
      NaN,
      Infinity,
      -Infinity,
    ];
    const powers = Array.from({ length: 22 }, (_, i) => [10 ** i - 1, 10 ** i, -(10 ** i)]).flat();
    const randomWhole = Array.from({ length: 100_000 }, () => Math.floor(10 ** (next() * 16)));
    expect(mismatches([...specials, ...powers, ...randomWhole])).toEqual([]);
  });

  it("leaves values with more decimals, or too small for six, to String", () => {
    const odd = [
      0.1 + 0.2,
      1e-7,
      5e-7,
      4e-7,
      1.5e-6,
      1 / 3,
      Math.PI,
      2 ** 32 + 0.5,
      123.4567891,
      -1e-7,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    ];
    expect(mismatches(odd)).toEqual([]);
  });
});
