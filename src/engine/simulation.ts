import { EventQueue } from "./eventQueue.js";
import { RngStreams } from "./rng.js";

/** Called with the event's payload when an event of its kind fires; `sim.now` is its time. */
export type EventHandler = (payload: number) => void;

export interface RunOptions {
  /** Events later than this are left pending. */
  until?: number;
  /** Called every `progressEvery` events with the current time; a progress bar hooks in here. */
  onProgress?: (now: number) => void;
  progressEvery?: number;
}

/**
 * The clock, the event queue and the random streams: the whole discrete-event kernel.
 * It knows nothing of what the events mean; components register a handler per event kind.
 */
export class Simulation {
  now = 0;
  eventsProcessed = 0;
  readonly rng: RngStreams;
  private readonly queue = new EventQueue(4096);
  private readonly handlers: EventHandler[] = [];
  private stopped = false;

  constructor(seed: number | string) {
    this.rng = new RngStreams(seed);
  }

  /** Registers a handler and returns the event kind to schedule it with. */
  defineEvent(handler: EventHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  schedule(time: number, kind: number, payload = 0): void {
    if (!(time >= this.now)) this.rejectTime(time, kind);
    this.queue.push(time, kind, payload);
  }

  /**
   * A lane: room for one pending event outside the event queue's heap, for a component that
   * always has exactly its next event pending (see EventQueue). Events scheduled on it fire in
   * the same order as if scheduled with schedule().
   */
  addLane(): number {
    return this.queue.addLane();
  }

  /** Schedules an event on a lane whose previous event has fired. */
  scheduleOnLane(lane: number, time: number, kind: number, payload = 0): void {
    if (!(time >= this.now)) this.rejectTime(time, kind);
    if (this.queue.lanePending(lane)) throw new Error(`cannot schedule event kind ${kind} on lane ${lane}: its event is pending`);
    this.queue.pushLane(lane, time, kind, payload);
  }

  /** The error of schedule(), out of its body: schedule() is inlined on every hot path, the error's string building is not. */
  private rejectTime(time: number, kind: number): never {
    throw new Error(`cannot schedule event kind ${kind} at ${time}, before now (${this.now})`);
  }

  get pending(): number {
    return this.queue.size;
  }

  nextEventTime(): number {
    return this.queue.peekTime();
  }

  /** Ends run() after the current event. */
  stop(): void {
    this.stopped = true;
  }

  run(options: RunOptions = {}): void {
    const until = options.until ?? Infinity;
    const onProgress = options.onProgress;
    const progressMask = (options.progressEvery ?? 1 << 18) - 1;
    const queue = this.queue;
    const handlers = this.handlers;
    this.stopped = false;
    while (!this.stopped && queue.popUntil(until)) {
      this.now = queue.poppedTime;
      handlers[queue.poppedKind](queue.poppedPayload);
      if ((++this.eventsProcessed & progressMask) === 0 && onProgress) onProgress(this.now);
    }
    if (!this.stopped && until !== Infinity && this.now < until && queue.size > 0) this.now = until;
  }
}
