import { describe, expect, it } from "vitest";
import { RUNTIME_INIT_ROWS } from "../../src/model/runtimeInitData.js";
import { KNOWN_RUNTIMES, defaultInitDistribution, isCustomRuntime, nearestRuntime } from "../../src/model/runtimes.js";

const Z_P90 = 1.2815515655446004;

// Expected figures are copied by hand from the lambda-perf summary (docs/sources.md#lambda-perf), so the
// generator's parsing and id mapping are checked against the source, not against themselves.
describe("RUNTIME_INIT_ROWS", () => {
  it("holds one row per CSV row, with positive ordered percentiles", () => {
    expect(RUNTIME_INIT_ROWS).toHaveLength(620);
    for (const row of RUNTIME_INIT_ROWS) {
      expect(row.samples).toBeGreaterThan(0);
      expect(row.p10Ms).toBeGreaterThan(0);
      expect(row.p10Ms).toBeLessThanOrEqual(row.p50Ms);
      expect(row.p50Ms).toBeLessThanOrEqual(row.p90Ms);
    }
  });

  it("copies a CSV row field by field", () => {
    // "java21",zip,x86_64,128,300,238.60,223.21,265.73,248.82,...
    const row = RUNTIME_INIT_ROWS.find((r) => r.runtime === "java21" && r.package === "zip" && r.arch === "x86_64" && r.memoryMb === 128);
    expect(row).toEqual({
      runtime: "java21",
      package: "zip",
      arch: "x86_64",
      memoryMb: 128,
      samples: 300,
      p10Ms: 223.21,
      p50Ms: 238.6,
      p90Ms: 265.73,
      meanMs: 248.82,
    });
  });
});

describe("KNOWN_RUNTIMES", () => {
  it("is sorted and holds every measured runtime plus the two bare aliases", () => {
    expect([...KNOWN_RUNTIMES]).toEqual([...KNOWN_RUNTIMES].sort());
    expect(new Set(KNOWN_RUNTIMES).size).toBe(KNOWN_RUNTIMES.length);
    expect(KNOWN_RUNTIMES).toHaveLength(40 + 2);
  });

  it("maps lambda-perf custom-runtime names to provided.<os>/<slug>", () => {
    for (const id of [
      "nodejs22.x",
      "python3.12",
      "java21",
      "java8.al2",
      "dotnet8",
      "ruby3.3",
      "provided.al2023",
      "provided.al2",
      "provided.al2023/go",
      "provided.al2/rust",
      "provided.al2023/graalvm-java21",
      "provided.al2023/dotnet8-aot",
      "provided.al2/cpp11",
      "provided.al2/swift5.8",
      "provided.al2/bun-layer",
    ]) {
      expect(KNOWN_RUNTIMES).toContain(id);
    }
  });
});

describe("isCustomRuntime", () => {
  it("is true for provided.* only", () => {
    expect(isCustomRuntime("provided.al2023")).toBe(true);
    expect(isCustomRuntime("provided.al2/rust")).toBe(true);
    expect(isCustomRuntime("nodejs22.x")).toBe(false);
    expect(isCustomRuntime("java8.al2")).toBe(false);
  });
});

describe("defaultInitDistribution", () => {
  it("fits a lognormal in seconds to the measured p50 and p90", () => {
    // "nodejs22.x",zip,x86_64,128,294,140.32,130.24,158.71,...
    const d = defaultInitDistribution("nodejs22.x", "x86_64", "zip", 128);
    expect(d.median).toBeCloseTo(0.14032, 12);
    expect(d.sigma).toBeCloseTo(Math.log(158.71 / 140.32) / Z_P90, 12);
    expect(d.source).toBe("lambda-perf nodejs22.x zip x86_64 128 MB");
  });

  it("puts the p90 of the fitted lognormal on the measured p90", () => {
    const d = defaultInitDistribution("nodejs22.x", "x86_64", "zip", 128);
    expect(d.median * Math.exp(Z_P90 * d.sigma)).toBeCloseTo(0.15871, 12);
  });

  it("uses the nearest measured memory size at or below the requested one", () => {
    // nodejs22.x zip x86_64 p50: 128 MB 140.32, 512 MB 140.25, 1024 MB 140.09
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 3008).median).toBeCloseTo(0.14009, 12);
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 3008).source).toContain("1024 MB");
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 1024).median).toBeCloseTo(0.14009, 12);
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 1023).median).toBeCloseTo(0.14025, 12);
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 200).median).toBeCloseTo(0.14032, 12);
    expect(defaultInitDistribution("nodejs22.x", "x86_64", "zip", 64).median).toBeCloseTo(0.14032, 12);
  });

  it("keeps package and architecture apart", () => {
    // "go (prov.al2)",image,arm64,128,300,38.54,31.52,53.83,...
    const d = defaultInitDistribution("provided.al2/go", "arm64", "image", 128);
    expect(d.median).toBeCloseTo(0.03854, 12);
    expect(d.sigma).toBeCloseTo(Math.log(53.83 / 38.54) / Z_P90, 12);
    expect(d.source).toBe("lambda-perf provided.al2/go image arm64 128 MB");
  });

  it("gives the bare provided.* ids the figures of Go on the same OS", () => {
    for (const [alias, target] of [
      ["provided.al2023", "provided.al2023/go"],
      ["provided.al2", "provided.al2/go"],
    ] as const) {
      expect(defaultInitDistribution(alias, "arm64", "image", 512)).toEqual(defaultInitDistribution(target, "arm64", "image", 512));
    }
    // "go (prov.al2023)",zip,x86_64,128,294,49.83,47.11,52.45,...
    expect(defaultInitDistribution("provided.al2023", "x86_64", "zip", 128).median).toBeCloseTo(0.04983, 12);
  });

  it("falls back to the other package type, then the other architecture", () => {
    // quarkus was measured on x86_64 only; bun layer on zip x86_64 only.
    // "quarkus (prov.al2)",zip,x86_64,128,282,242.25,231.02,263.92,...
    const quarkus = defaultInitDistribution("provided.al2/quarkus", "arm64", "zip", 128);
    expect(quarkus.median).toBeCloseTo(0.24225, 12);
    expect(quarkus.source).toBe("lambda-perf provided.al2/quarkus zip x86_64 128 MB (fell back to x86_64)");

    // "bun layer(prov.al2)",zip,x86_64,256,294,449.31,428.04,489.78,...
    const bunImage = defaultInitDistribution("provided.al2/bun-layer", "x86_64", "image", 256);
    expect(bunImage.median).toBeCloseTo(0.44931, 12);
    expect(bunImage.source).toBe("lambda-perf provided.al2/bun-layer zip x86_64 256 MB (fell back to zip)");

    const bunBoth = defaultInitDistribution("provided.al2/bun-layer", "arm64", "image", 256);
    expect(bunBoth.median).toBeCloseTo(0.44931, 12);
    expect(bunBoth.source).toBe("lambda-perf provided.al2/bun-layer zip x86_64 256 MB (fell back to zip x86_64)");
  });

  it("throws for an unknown runtime, listing the known ones", () => {
    expect(() => defaultInitDistribution("nodejs22", "x86_64", "zip", 128)).toThrow(/unknown runtime "nodejs22".*nodejs22\.x/);
    expect(() => defaultInitDistribution("toString", "x86_64", "zip", 128)).toThrow(/unknown runtime/);
  });

  it("rejects a memory size that is not a positive number", () => {
    expect(() => defaultInitDistribution("nodejs22.x", "x86_64", "zip", Number.NaN)).toThrow(RangeError);
    expect(() => defaultInitDistribution("nodejs22.x", "x86_64", "zip", 0)).toThrow(RangeError);
  });

  // Medians published for lambda-perf (ZIP, x86_64, 128 MB; docs/lambda-behaviour.md#init-duration); the data must agree.
  it.each([
    ["python3.12", 85],
    ["python3.13", 85],
    ["nodejs22.x", 140],
    ["nodejs24.x", 135],
    ["java17", 205],
    ["java21", 239],
    ["java25", 191],
    ["dotnet8", 251],
    ["ruby3.3", 237],
    ["provided.al2023", 50],
    ["provided.al2023/rust", 16],
  ])("matches the published median for %s (%d ms) within 15 %%", (runtime, factMs) => {
    const medianMs = defaultInitDistribution(runtime, "x86_64", "zip", 128).median * 1000;
    expect(Math.abs(medianMs - factMs) / factMs).toBeLessThanOrEqual(0.15);
  });
});

describe("nearestRuntime", () => {
  it("suggests the closest known id", () => {
    expect(nearestRuntime("nodejs22")).toBe("nodejs22.x");
    expect(nearestRuntime("Python3.12")).toBe("python3.12");
    expect(nearestRuntime("java 21")).toBe("java21");
    expect(nearestRuntime("provided.al2023/rsut")).toBe("provided.al2023/rust");
  });

  it("suggests nothing when no id is within 3 edits", () => {
    expect(nearestRuntime("cobol")).toBeUndefined();
  });
});
