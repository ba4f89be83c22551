import { describe, expect, it } from "vitest";
import { grown, grownRing } from "../../src/common/typedArrays.js";

describe("typed-array growth", () => {
  it("keeps the type and contents and zeroes the new room", () => {
    const next = grown(Int32Array.of(3, 1, 2), 6);
    expect(next).toBeInstanceOf(Int32Array);
    expect([...next]).toEqual([3, 1, 2, 0, 0, 0]);
  });

  it("unrolls a full ring so its oldest element comes first", () => {
    const next = grownRing(Float64Array.of(30, 40, 10, 20), 2, 8);
    expect(next).toBeInstanceOf(Float64Array);
    expect([...next]).toEqual([10, 20, 30, 40, 0, 0, 0, 0]);
  });
});
