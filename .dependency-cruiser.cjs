/**
 * Dependency boundaries of lambdasim. `npm run lint` runs `depcruise src` with this file.
 *
 * Layers, lowest first. A module may import from its own layer or the layers it lists, nothing else:
 *
 *   src/common/**      leaf: nothing from src but src/common (input errors, edit distance, typed-array growth,
 *                      billing arithmetic: what several layers need and none owns)
 *   src/engine/**      engine, common. The event loop, queue, RNG, distributions: knows nothing of Lambda.
 *   src/metrics/**     metrics, engine, common
 *   src/model/**       model, metrics, engine, common. Never cost: the billing arithmetic the platform needs
 *                      is in src/common/billing.ts; cost builds on model, not the reverse.
 *   src/cost/**        cost, model, metrics, engine, common
 *   src/workload/**    workload, engine, common, and model through `import type` only. Arrivals, trace readers.
 *   src/sources/**     sources, model, metrics, engine, common, and from scenario only the shared zod building
 *                      blocks src/scenario/primitives.ts and src/scenario/units.ts
 *   src/scenario/**    scenario, sources, workload, model, metrics, engine, common (read, validate, compile input)
 *   src/simulate.ts    everything above (engine, metrics, model, cost, workload, sources), scenario through
 *                      `import type` only
 *   src/report/**      report, simulate and model through `import type` only, sources, cost, metrics, common
 *   src/sweep/**, src/tooling/**
 *                      anything in src except cli and index.ts
 *   src/cli/**         top: nothing in src imports cli (bin/lambdasim.js loads its bundle, dist/cli)
 *   src/index.ts       the package's public entry: nothing in src imports it
 *
 * bench/, scripts/, test/ and validation/ may import src; src never imports them.
 * No circular dependencies (a cycle closed only by `import type` is erased by tsc and allowed).
 */

/** A rule forbidding `from` to reach any module in src that `allowed` does not match. */
function layer(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: from },
    to: { path: "^src/", pathNot: allowed },
  };
}

/** A rule letting `from` reach `to` through `import type` only. */
function typesOnly(name, from, to, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: from },
    to: { path: to, dependencyTypesNot: ["type-only"] },
  };
}

const COMMON = "^src/common/";
const ENGINE = "^src/engine/";
const METRICS = "^src/metrics/";
const MODEL = "^src/model/";
const COST = "^src/cost/";
const WORKLOAD = "^src/workload/";
const SOURCES = "^src/sources/";
const SCENARIO_PRIMITIVES = "^src/scenario/(primitives|units)\\.ts$";
const SCENARIO = "^src/scenario/";
const SIMULATE = "^src/simulate\\.ts$";
const REPORT = "^src/report/";
const any = (...paths) => paths.join("|");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Circular imports make module initialisation order matter and blur the layers. Cycles closed by an `import type` " +
        "are erased at compile time and do not count (runtimeInitData.ts, generated, names its row type from runtimes.ts).",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "src-not-to-outside",
      severity: "error",
      comment: "src is the shipped package: it never imports bench, scripts, test or validation.",
      from: { path: "^src/" },
      to: { path: "^(bench|scripts|test|validation)/" },
    },
    layer("common-is-a-leaf", COMMON, COMMON, "src/common imports nothing from src but itself."),
    layer("engine-knows-no-lambda", ENGINE, any(ENGINE, COMMON), "The engine is generic discrete-event machinery."),
    layer("metrics-layer", METRICS, any(METRICS, ENGINE, COMMON), "Metrics sit on the engine only."),
    layer(
      "model-layer",
      MODEL,
      any(MODEL, METRICS, ENGINE, COMMON),
      "The Lambda model: never cost (the billing arithmetic it needs is in src/common), sources, scenario or anything above.",
    ),
    layer("cost-layer", COST, any(COST, MODEL, METRICS, ENGINE, COMMON), "Cost builds on model types."),
    layer("workload-layer", WORKLOAD, any(WORKLOAD, MODEL, ENGINE, COMMON), "Arrival processes and trace readers."),
    typesOnly("workload-model-types-only", WORKLOAD, MODEL, "Workload may name model types, not run model code."),
    layer(
      "sources-layer",
      SOURCES,
      any(SOURCES, MODEL, METRICS, ENGINE, COMMON, SCENARIO_PRIMITIVES),
      "Invocation paths: from scenario only the shared zod building blocks (primitives.ts, units.ts).",
    ),
    layer(
      "scenario-layer",
      SCENARIO,
      any(SCENARIO, SOURCES, WORKLOAD, MODEL, METRICS, ENGINE, COMMON),
      "Scenario input: never simulate, report, sweep, tooling, validation or cli.",
    ),
    layer(
      "simulate-layer",
      SIMULATE,
      any(SCENARIO, SOURCES, WORKLOAD, COST, MODEL, METRICS, ENGINE, COMMON),
      "simulate() runs a compiled scenario; it never imports report, sweep, tooling, validation or cli.",
    ),
    typesOnly("simulate-scenario-types-only", SIMULATE, SCENARIO, "simulate() takes a compiled Scenario; it does not read input."),
    layer(
      "report-layer",
      REPORT,
      any(REPORT, SIMULATE, SOURCES, COST, MODEL, METRICS, COMMON),
      "Reports render results; they never run sweeps, tooling or the cli.",
    ),
    typesOnly("report-simulate-types-only", REPORT, SIMULATE, "Reports read a SimulationResult; they do not simulate."),
    typesOnly("report-model-types-only", REPORT, MODEL, "Reports name model types; they do not run model code."),
    {
      name: "cli-is-the-top",
      severity: "error",
      comment: "Only src/cli imports src/cli; bin/lambdasim.js loads the built cli/main.js.",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "index-is-the-entry",
      severity: "error",
      comment: "src/index.ts is the public API; modules in src import what they need directly.",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing is a typo or a missing dependency.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules|reports)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
