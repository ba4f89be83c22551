import type { PlatformConfig } from "../model/types.js";
import type { ScenarioSource } from "../sources/index.js";

/**
 * Something in a valid scenario the user should hear about: a choice lambdasim made for them
 * (say, reading a trace's timestamps as milliseconds). `code` names the kind, for tools.
 */
export interface ScenarioWarning {
  code: string;
  /** The field it concerns, as in error messages: workload[0].arrivals.trace.timeUnit */
  path: string;
  message: string;
}

/** A compiled scenario: what simulate() runs. Validated, defaults filled, times in seconds. */
export interface Scenario extends PlatformConfig {
  name: string;
  description: string | undefined;
  seed: number;
  region: string;
  /** What the user should hear about although the scenario is valid. */
  warnings: ScenarioWarning[];
  /** Builds the arrival sources afresh for each run (each source draws from its own stream). */
  createSources(rng: (streamName: string) => () => number): ScenarioSource[];
}
