import type { Simulation } from "../engine/simulation.js";
import type { ArrivalSource } from "./types.js";

export interface PumpHandlers {
  /** An arrival of source `s` at `now`: the source's functionIndex and duration describe it. */
  arrive(s: number, now: number): void;
  /** After the arrivals of one event, once the source's next arrival is scheduled. */
  afterArrivals?(s: number): void;
  /** Source `s` has delivered its last arrival. */
  sourceDone?(s: number): void;
}

/**
 * Pulls each source's arrivals in time order and hands them to an invoker, one engine event per
 * arrival: only each source's next arrival is ever in the event queue, so memory does not grow
 * with the number of arrivals. With `coalesce`, arrivals at the same instant are handed over in
 * one event (a stream's records often share a timestamp).
 */
export class ArrivalPump {
  /** Per source: 1 while it may still deliver arrivals. */
  readonly active: Uint8Array;
  private remaining = 0;
  private readonly ARRIVAL: number;

  constructor(
    private readonly sim: Simulation,
    private readonly sources: readonly ArrivalSource[],
    private readonly handlers: PumpHandlers,
    private readonly coalesce = false,
  ) {
    this.active = new Uint8Array(sources.length);
    this.ARRIVAL = sim.defineEvent((s) => this.onArrival(s));
    sources.forEach((source, s) => {
      const first = source.next();
      if (first < Infinity) {
        this.active[s] = 1;
        this.remaining++;
        sim.schedule(first, this.ARRIVAL, s);
      }
    });
  }

  /** No source has arrivals left. */
  get done(): boolean {
    return this.remaining === 0;
  }

  private onArrival(s: number): void {
    const now = this.sim.now;
    const source = this.sources[s];
    let next: number;
    do {
      this.handlers.arrive(s, now);
      next = source.next();
    } while (this.coalesce && next === now);
    if (next < Infinity) this.sim.schedule(next, this.ARRIVAL, s);
    else {
      this.active[s] = 0;
      this.remaining--;
    }
    this.handlers.afterArrivals?.(s);
    if (next === Infinity) this.handlers.sourceDone?.(s);
  }
}
