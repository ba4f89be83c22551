import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/engine/simulation.js";
import { Timers } from "../../src/engine/timers.js";

describe("Timers", () => {
  it("fires only the latest arming of a slot, and nothing once cancelled", () => {
    const sim = new Simulation(1);
    const fired: string[] = [];
    const timers = new Timers(sim, 2, (slot) => fired.push(`${slot}@${sim.now}`));
    timers.arm(0, 5);
    timers.arm(0, 3);
    timers.arm(1, 4);
    timers.cancel(1);
    sim.run();
    expect(fired).toEqual(["0@3"]);
    expect(timers.isArmed(0)).toBe(false);
  });

  it("leaves the other events' order alone: a superseded firing still pops in its place", () => {
    const sim = new Simulation(1);
    const order: string[] = [];
    const plain = sim.defineEvent((payload) => order.push(`event ${payload}`));
    const timers = new Timers(sim, 1, () => order.push("timer"));
    timers.arm(0, 1);
    sim.schedule(1, plain, 1);
    timers.arm(0, 1);
    sim.schedule(1, plain, 2);
    sim.run();
    expect(order).toEqual(["timer", "event 1", "event 2"]);
    expect(sim.eventsProcessed).toBe(4);
  });
});
