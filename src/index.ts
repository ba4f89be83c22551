export { simulate, type SimulateOptions, type SimulationResult, type FunctionResult } from "./simulate.js";
export { loadScenarioFile, resolveScenario, type LoadOptions } from "./scenario/load.js";
export { ScenarioError, type ScenarioProblem } from "./scenario/errors.js";
export type { ScenarioInput } from "./scenario/schema.js";
export type { Scenario, FunctionSpec } from "./model/types.js";
export { buildSummary, type Summary } from "./report/summary.js";
