import { grown, type TypedArray } from "../common/typedArrays.js";

/** Lifecycle states of an execution environment slot. */
export const FREE = 0;
export const BUSY = 1;
export const IDLE = 2;
/** A provisioned environment running its allocation-time init. */
export const INITIALIZING = 3;
/** Destroyed, but a timer event still names the slot: freed when that event fires. */
export const RETIRED = 4;

/** Invocation outcomes, decided when the invocation starts. */
export const SUCCESS = 0;
export const ERROR = 1;
export const TIMEOUT = 2;
export const CRASH = 3;

/**
 * Execution environments as parallel typed arrays indexed by slot, with a free list: a run with
 * thousands of environments living and dying allocates no objects. Each environment is in at
 * most one idle list at a time, kept as a doubly linked list through `prev`/`next`.
 */
export class EnvironmentTable {
  fn = new Int32Array(0);
  state = new Uint8Array(0);
  provisioned = new Uint8Array(0);
  /** Set after a timeout or crash: the next invocation runs init again. */
  needsInit = new Uint8Array(0);
  /** Provisioned concurrency was lowered while this one was busy: remove it when it finishes. */
  retire = new Uint8Array(0);
  timerPending = new Uint8Array(0);
  createdAt = new Float64Array(0);
  deathTime = new Float64Array(0);
  lastFinished = new Float64Array(0);
  prev = new Int32Array(0);
  next = new Int32Array(0);
  // The invocation running in a busy environment: who asked for it, and their name for it.
  caller = new Uint8Array(0);
  token = new Int32Array(0);
  requestedAt = new Float64Array(0);
  /** 1 when the arrival the invocation serves is in the measured window (from the warm-up on). */
  counted = new Uint8Array(0);
  handlerTime = new Float64Array(0);
  billedMs = new Float64Array(0);
  outcome = new Uint8Array(0);
  /** Tenant isolation: the tenant the environment serves (unused for other functions). */
  tenant = new Int32Array(0);

  private freeSlots: number[] = [];
  private used = 0;

  allocate(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.used === this.fn.length) this.grow(Math.max(256, this.fn.length * 2));
    return this.used++;
  }

  release(env: number): void {
    this.state[env] = FREE;
    this.freeSlots.push(env);
  }

  private grow(capacity: number): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      const old = this[key];
      if (ArrayBuffer.isView(old) && !(old instanceof DataView)) {
        (this as Record<keyof this, unknown>)[key] = grown(old as TypedArray, capacity);
      }
    }
  }
}

/** Idle environments of one kind per function, oldest at the head and newest at the tail. */
export class IdleLists {
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly size: Int32Array;

  constructor(
    functions: number,
    private readonly envs: EnvironmentTable,
  ) {
    this.head = new Int32Array(functions).fill(-1);
    this.tail = new Int32Array(functions).fill(-1);
    this.size = new Int32Array(functions);
  }

  append(fn: number, env: number): void {
    const { prev, next } = this.envs;
    prev[env] = this.tail[fn];
    next[env] = -1;
    if (this.tail[fn] >= 0) next[this.tail[fn]] = env;
    else this.head[fn] = env;
    this.tail[fn] = env;
    this.size[fn]++;
  }

  remove(fn: number, env: number): void {
    const { prev, next } = this.envs;
    const before = prev[env];
    const after = next[env];
    if (before >= 0) next[before] = after;
    else this.head[fn] = after;
    if (after >= 0) prev[after] = before;
    else this.tail[fn] = before;
    this.size[fn]--;
  }

  /** The most recently used idle environment (newest), or -1. */
  takeNewest(fn: number): number {
    const env = this.tail[fn];
    if (env >= 0) this.remove(fn, env);
    return env;
  }

  /** The least recently used idle environment (oldest), or -1. */
  takeOldest(fn: number): number {
    const env = this.head[fn];
    if (env >= 0) this.remove(fn, env);
    return env;
  }
}
