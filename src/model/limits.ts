/**
 * A token bucket refilled continuously; capacity that is not used does not accrue beyond the
 * bucket size. Used for the scaling rate (new environments) and the request-rate limit.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefill = 0;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
  ) {
    this.tokens = capacity;
  }

  tryTake(now: number): boolean {
    if (now > this.lastRefill) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastRefill) * this.refillPerSecond);
      this.lastRefill = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

/**
 * Who may start an invocation. A function with reserved concurrency draws only on its own
 * reservation; the others share what is left of the account limit. Provisioned concurrency is
 * claimed from the function's pool for as long as it is configured, busy or not.
 */
export class ConcurrencyPools {
  /** Concurrency each function holds now: running on-demand invocations + configured provisioned. */
  readonly claimed: Int32Array;
  readonly maxClaimed: Int32Array;
  readonly unreservedCapacity: number;
  unreservedClaimed = 0;
  maxUnreservedClaimed = 0;
  accountClaimed = 0;
  maxAccountClaimed = 0;

  constructor(
    readonly accountLimit: number,
    /** Per function: its reserved concurrency, or -1 to share the unreserved pool. */
    readonly reserved: Int32Array,
  ) {
    this.claimed = new Int32Array(reserved.length);
    this.maxClaimed = new Int32Array(reserved.length);
    let reservedTotal = 0;
    for (const r of reserved) if (r >= 0) reservedTotal += r;
    this.unreservedCapacity = accountLimit - reservedTotal;
  }

  hasRoom(fn: number): boolean {
    const reserved = this.reserved[fn];
    return reserved >= 0 ? this.claimed[fn] < reserved : this.unreservedClaimed < this.unreservedCapacity;
  }

  /** Changes fn's claim by `delta`; callers check hasRoom() first for on-demand claims. */
  adjust(fn: number, delta: number): void {
    const claimed = (this.claimed[fn] += delta);
    if (claimed > this.maxClaimed[fn]) this.maxClaimed[fn] = claimed;
    if (this.reserved[fn] < 0) {
      this.unreservedClaimed += delta;
      if (this.unreservedClaimed > this.maxUnreservedClaimed) this.maxUnreservedClaimed = this.unreservedClaimed;
    }
    this.accountClaimed += delta;
    if (this.accountClaimed > this.maxAccountClaimed) this.maxAccountClaimed = this.accountClaimed;
  }
}
