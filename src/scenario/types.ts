import type { PlatformConfig } from "../model/types.js";
import type { ScenarioSource } from "../sources/index.js";

/** A compiled scenario: what simulate() runs. Validated, defaults filled, times in seconds. */
export interface Scenario extends PlatformConfig {
  name: string;
  description: string | undefined;
  seed: number;
  region: string;
  /** Builds the arrival sources afresh for each run (each source draws from its own stream). */
  createSources(rng: (streamName: string) => () => number): ScenarioSource[];
}
