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
 *
 * So an unreserved function may start an invocation while unreserved running + provisioned
 * concurrency of unreserved functions < limit − all reserved concurrency, i.e. while CloudWatch's
 * ClaimedAccountConcurrency (unreserved running + all reserved + provisioned of functions without
 * a reservation) is below the limit (docs/lambda-behaviour.md#claimed-concurrency).
 */
export class ConcurrencyPools {
  /** Concurrency each function holds now: running on-demand invocations + configured provisioned. */
  readonly claimed: Int32Array;
  /** Highest of `claimed` over the whole run (the invariants check it against the limits). */
  readonly maxClaimed: Int32Array;
  /** Highest of `claimed` over the measured window (from the warm-up on), for the reports. */
  readonly windowMaxClaimed: Int32Array;
  readonly unreservedCapacity: number;
  readonly reservedTotal: number;
  unreservedClaimed = 0;
  maxUnreservedClaimed = 0;
  windowMaxUnreservedClaimed = 0;
  accountClaimed = 0;
  maxAccountClaimed = 0;

  constructor(
    readonly accountLimit: number,
    /** Per function: its reserved concurrency, or -1 to share the unreserved pool. */
    readonly reserved: Int32Array,
  ) {
    this.claimed = new Int32Array(reserved.length);
    this.maxClaimed = new Int32Array(reserved.length);
    this.windowMaxClaimed = new Int32Array(reserved.length);
    let reservedTotal = 0;
    for (const r of reserved) if (r >= 0) reservedTotal += r;
    this.reservedTotal = reservedTotal;
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
    if (claimed > this.windowMaxClaimed[fn]) this.windowMaxClaimed[fn] = claimed;
    if (this.reserved[fn] < 0) {
      const unreserved = (this.unreservedClaimed += delta);
      if (unreserved > this.maxUnreservedClaimed) this.maxUnreservedClaimed = unreserved;
      if (unreserved > this.windowMaxUnreservedClaimed) this.windowMaxUnreservedClaimed = unreserved;
    }
    this.accountClaimed += delta;
    if (this.accountClaimed > this.maxAccountClaimed) this.maxAccountClaimed = this.accountClaimed;
  }

  /**
   * Gives back one of fn's claims. Kept apart from adjust(), which also tracks the maxima a
   * release never raises, so that it fits V8's inlining budget where invocations end.
   */
  release(fn: number): void {
    this.claimed[fn]--;
    if (this.reserved[fn] < 0) this.unreservedClaimed--;
    this.accountClaimed--;
  }

  /** The measured window starts now: its maxima start from the current claims. */
  openWindow(): void {
    this.windowMaxClaimed.set(this.claimed);
    this.windowMaxUnreservedClaimed = this.unreservedClaimed;
  }

  /**
   * Highest ClaimedAccountConcurrency over the measured window: unreserved running + provisioned
   * of unreserved functions, plus every reservation (constant over the run).
   */
  get maxClaimedAccountConcurrency(): number {
    return this.windowMaxUnreservedClaimed + this.reservedTotal;
  }

  /**
   * Highest contribution of function `fn` to ClaimedAccountConcurrency over the window: its
   * reservation if it has one (which covers its provisioned concurrency), else its running
   * on-demand invocations + provisioned environments.
   */
  maxClaimedBy(fn: number): number {
    const reserved = this.reserved[fn];
    return reserved >= 0 ? reserved : this.windowMaxClaimed[fn];
  }
}
