// Alea alone: seedrandom's index also loads its other generators and Node's crypto module, a
// twentieth of a short command's start-up (bench/RESULTS.md, "Start-up"). The same code, the same draws.
import alea from "seedrandom/lib/alea.js";

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/**
 * Independent random streams derived from one scenario seed by name.
 *
 * Each component draws from its own stream ("arrivals:api:0", "duration:api", ...), so adding a
 * function or changing one workload leaves every other component's draws unchanged: the
 * precondition for common random numbers and for reading a difference between two runs as the
 * effect of the change. Alea is seedrandom's fastest generator (~12 ns a draw).
 */
export class RngStreams {
  private readonly seed: string;
  private readonly issued = new Set<string>();

  constructor(seed: number | string) {
    this.seed = String(seed);
  }

  stream(name: string): Uniform {
    if (this.issued.has(name)) {
      throw new Error(`random stream "${name}" requested twice; each component needs its own`);
    }
    this.issued.add(name);
    return alea(`${this.seed}\u0000${name}`);
  }
}
