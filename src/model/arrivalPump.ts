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
/**
 * Sources up to this many each get a lane of the engine (their next arrival kept out of the
 * event heap); a pump with more uses the heap, where choosing the earliest of many is cheaper
 * than the lanes' scan.
 */
const MAX_LANES = 4;

export class ArrivalPump {
  /** Per source: 1 while it may still deliver arrivals. */
  readonly active: Uint8Array;
  private remaining = 0;
  private readonly ARRIVAL: number;
  /** Per source: its lane, or -1 when its arrivals go through the event heap. */
  private readonly lanes: Int32Array;

  constructor(
    private readonly sim: Simulation,
    private readonly sources: readonly ArrivalSource[],
    private readonly handlers: PumpHandlers,
    private readonly coalesce = false,
  ) {
    this.active = new Uint8Array(sources.length);
    this.ARRIVAL = sim.defineEvent((s) => this.onArrival(s));
    this.lanes = Int32Array.from(sources, () => (sources.length <= MAX_LANES ? sim.addLane() : -1));
    sources.forEach((source, s) => {
      const first = source.next();
      if (first < Infinity) {
        this.active[s] = 1;
        this.remaining++;
        this.schedule(s, first);
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
    if (next < Infinity) this.schedule(s, next);
    else {
      this.active[s] = 0;
      this.remaining--;
    }
    this.handlers.afterArrivals?.(s);
    if (next === Infinity) this.handlers.sourceDone?.(s);
  }

  private schedule(s: number, time: number): void {
    const lane = this.lanes[s];
    if (lane >= 0) this.sim.scheduleOnLane(lane, time, this.ARRIVAL, s);
    else this.sim.schedule(time, this.ARRIVAL, s);
  }
}
