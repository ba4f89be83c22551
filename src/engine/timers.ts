import type { Simulation } from "./simulation.js";

/**
 * One re-armable, cancellable timer per slot (a stream lane, a queue, ...). Events in the queue
 * are never taken back: arming again or cancelling only moves the slot's due time, and a firing
 * that no longer matches it is dropped here. A superseded event still pops at its own time, so
 * every other event keeps its time and its place in the insertion order, and runs stay
 * reproducible.
 */
export class Timers {
  private readonly due: Float64Array;
  private readonly kind: number;

  constructor(
    private readonly sim: Simulation,
    slots: number,
    fire: (slot: number) => void,
  ) {
    this.due = new Float64Array(slots).fill(Infinity);
    this.kind = sim.defineEvent((slot) => {
      if (sim.now !== this.due[slot]) return;
      this.due[slot] = Infinity;
      fire(slot);
    });
  }

  /** When the slot's timer fires; Infinity when none is armed. */
  dueAt(slot: number): number {
    return this.due[slot];
  }

  isArmed(slot: number): boolean {
    return this.due[slot] !== Infinity;
  }

  /** Arms the slot's timer for `at`, superseding any armed before. */
  arm(slot: number, at: number): void {
    this.due[slot] = at;
    this.sim.schedule(at, this.kind, slot);
  }

  cancel(slot: number): void {
    this.due[slot] = Infinity;
  }
}
