import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/eventQueue.js";
import { Simulation } from "../../src/engine/simulation.js";

function drain(queue: EventQueue): [number, number][] {
  const out: [number, number][] = [];
  while (queue.size > 0) {
    queue.pop();
    out.push([queue.poppedTime, queue.poppedPayload]);
  }
  return out;
}

/** Index of the earliest of pending [time, sequence, ...] entries: the smallest (time, sequence). */
function earliest(pending: readonly (readonly number[])[]): number {
  let best = 0;
  for (let i = 1; i < pending.length; i++) {
    const [t, s] = pending[i];
    if (t < pending[best][0] || (t === pending[best][0] && s < pending[best][1])) best = i;
  }
  return best;
}

describe("EventQueue", () => {
  it("pops in time order, equal times in insertion order", () => {
    const queue = new EventQueue(16);
    const rng = seedrandom.alea("queue");
    const expected: [number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      // Few distinct times, so most comparisons are ties.
      const time = Math.floor(rng() * 50);
      queue.push(time, 0, i);
      expected.push([time, i]);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(drain(queue)).toEqual(expected);
  });

  it("interleaved pushes and pops stay ordered and reuse freed ids", () => {
    const queue = new EventQueue(16);
    const rng = seedrandom.alea("hold");
    let now = 0;
    for (let i = 0; i < 100; i++) queue.push(rng(), 1, i);
    for (let i = 0; i < 100_000; i++) {
      queue.pop();
      expect(queue.poppedTime).toBeGreaterThanOrEqual(now);
      now = queue.poppedTime;
      queue.push(now + rng(), 1, i);
    }
    expect(queue.size).toBe(100);
  });

  it("pops what a sorted reference pops under any mix of pushes, pops and reads, with many ties", () => {
    const rng = seedrandom.alea("lazy");
    for (let round = 0; round < 200; round++) {
      const queue = new EventQueue(16);
      // The reference: pending [time, sequence] pairs; the earliest is the smallest pair.
      const pending: [number, number][] = [];
      let seq = 0;
      let now = 0;
      for (let op = 0; op < 2000; op++) {
        const r = rng();
        if (r < 0.45 && pending.length > 0) {
          const best = earliest(pending);
          const [time, s] = pending.splice(best, 1)[0];
          queue.pop();
          expect([queue.poppedTime, queue.poppedPayload]).toEqual([time, s]);
          now = time;
        } else if (r < 0.5) {
          expect(queue.size).toBe(pending.length);
          expect(queue.peekTime()).toBe(pending.length === 0 ? Infinity : Math.min(...pending.map(([t]) => t)));
        } else {
          // Coarse times, so most comparisons are ties; sometimes the earliest pending.
          const time = now + (rng() < 0.2 ? 0 : Math.floor(rng() * 8));
          queue.push(time, 0, seq);
          pending.push([time, seq++]);
        }
      }
    }
  });

  it("pops lanes' events where the heap alone would, under any mix with many ties", () => {
    const rng = seedrandom.alea("lanes");
    for (let round = 0; round < 200; round++) {
      const queue = new EventQueue(16);
      const laneCount = 1 + Math.floor(rng() * 3);
      const lanes = Array.from({ length: laneCount }, () => queue.addLane());
      // The reference: pending [time, sequence, lane or -1]; the earliest is the smallest pair.
      const pending: [number, number, number][] = [];
      let seq = 0;
      let now = 0;
      for (let op = 0; op < 2000; op++) {
        const r = rng();
        if (r < 0.4 && pending.length > 0) {
          const best = earliest(pending);
          const [time, s, lane] = pending.splice(best, 1)[0];
          if (rng() < 0.5) queue.pop();
          else expect(queue.popUntil(time)).toBe(true);
          expect([queue.poppedTime, queue.poppedPayload, queue.poppedKind]).toEqual([time, s, lane + 1]);
          now = time;
        } else if (r < 0.45) {
          const earliest = pending.length === 0 ? Infinity : Math.min(...pending.map(([t]) => t));
          expect(queue.size).toBe(pending.length);
          expect(queue.peekTime()).toBe(earliest);
          expect(queue.popUntil(earliest - 0.5)).toBe(false);
        } else {
          // Coarse times, so most comparisons are ties; sometimes the earliest pending.
          const time = now + (rng() < 0.2 ? 0 : Math.floor(rng() * 8));
          const lane = lanes[Math.floor(rng() * (laneCount + 1))] ?? -1;
          if (lane >= 0 && queue.lanePending(lane)) continue;
          if (lane >= 0) queue.pushLane(lane, time, lane + 1, seq);
          else queue.push(time, 0, seq);
          pending.push([time, seq++, lane]);
        }
      }
      expect(drain(queue)).toEqual(pending.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([t, s]) => [t, s]));
    }
  });

  it("reports Infinity when empty", () => {
    expect(new EventQueue().peekTime()).toBe(Infinity);
  });
});

describe("Simulation", () => {
  it("dispatches by kind, advances the clock and stops at until", () => {
    const sim = new Simulation(1);
    const seen: string[] = [];
    const tick = sim.defineEvent((n) => {
      seen.push(`tick ${n} @${sim.now}`);
      if (n < 5) sim.schedule(sim.now + 1, tick, n + 1);
    });
    sim.schedule(0, tick, 0);
    sim.run({ until: 2.5 });
    expect(seen).toEqual(["tick 0 @0", "tick 1 @1", "tick 2 @2"]);
    expect(sim.now).toBe(2.5);
    sim.run();
    expect(seen.at(-1)).toBe("tick 5 @5");
  });

  it("refuses to schedule into the past", () => {
    const sim = new Simulation(1);
    const kind = sim.defineEvent(() => sim.schedule(sim.now - 1, kind));
    sim.schedule(1, kind);
    expect(() => sim.run()).toThrow(/before now/);
  });

  it("stop() ends the run after the current event without moving the clock to until", () => {
    const sim = new Simulation(1);
    const kind = sim.defineEvent((n) => {
      if (n === 3) sim.stop();
      sim.schedule(sim.now + 1, kind, n + 1);
    });
    sim.schedule(0, kind, 0);
    sim.run({ until: 100 });
    expect(sim.now).toBe(3);
  });
});
