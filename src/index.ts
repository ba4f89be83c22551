export { simulate, type SimulateOptions, type SimulationResult, type FunctionResult } from "./simulate.js";
export { resolveScenario, type LoadOptions } from "./scenario/compile.js";
export { loadScenarioFile } from "./scenario/read.js";
// ScenarioError and ScenarioProblem are the names these had before every input error shared them.
export { InputError, InputError as ScenarioError, type InputProblem, type InputProblem as ScenarioProblem } from "./common/inputError.js";
export type { ScenarioInput } from "./scenario/schema.js";
export type { Scenario } from "./scenario/types.js";
export type { FunctionSpec } from "./model/types.js";
export { buildSummary, type Summary } from "./report/summary.js";
export { renderHtmlReport, runReportData, type RunReportData } from "./report/html.js";
export { compareSummaries, parseThreshold, renderComparison, type Comparison, type Threshold } from "./report/compare.js";
export { planSweep, type SweepPlan } from "./sweep/plan.js";
export { runSweep, type SweepRunOptions, type VariantResult } from "./sweep/run.js";
export { buildSweepDocument, type SweepDocument } from "./sweep/outputs.js";
export { scenarioJsonSchema } from "./tooling/jsonSchema.js";
export { fromSam } from "./tooling/fromSam.js";
