/*
 * Provisioned mode of an SQS event source mapping (docs/lambda-behaviour.md#sqs-provisioned-pollers): the
 * capacity of an event poller, how fast the mapping adds them, and what they are billed for.
 */

/** Batches one event poller runs at once (AWS: up to 10 concurrent invokes per poller). */
export const INVOKES_PER_POLLER = 10;
/** What one event poller receives, KB per second (AWS: up to 1 MB/s; 1 MB taken as 1,024 KB). */
export const POLLER_KB_PER_SECOND = 1024;
/**
 * Scaling: AWS adds up to 1,000 concurrency (100 pollers) a minute. Here the target moves on a
 * 3-second tick by 5 pollers, the same rate in steps that keep every poller's time a whole number
 * of ticks.
 */
export const PROVISIONED_TICK = 3;
export const PROVISIONED_STEP = 5;
/** Each poller is billed per second, at least one minute (AWS's pricing page). */
export const POLLER_MINIMUM_BILLED = 60;

/** A window of simulated time, [from, to), that the bill covers. */
export interface BilledWindow {
  from: number;
  to: number;
}

/**
 * The billed time of one mapping's event pollers. Pollers are added in groups and removed newest
 * first, so the live ones are a stack of (start, count) groups: at most one group per scaling
 * step up to the maximum, however long the run. A removed poller is settled at once: its time
 * within [from, span) rounded up to the second, topped up to one minute when it lived less than
 * that and was removed inside the window (the mapping keeps pollers that long, see canRemove, so
 * the top-up only matters to a caller that does not). The window's end is only known after the
 * run, but it is the span's end unless the run stopped earlier, and then nothing is removed after
 * it.
 */
export class PollerLedger {
  private readonly starts: number[] = [];
  private readonly counts: number[] = [];
  private settledSeconds = 0;
  live = 0;

  constructor(
    private readonly from: number,
    private readonly span: number,
  ) {}

  add(now: number, count: number): void {
    if (count <= 0) return;
    const top = this.starts.length - 1;
    if (top >= 0 && this.starts[top] === now) this.counts[top] += count;
    else {
      this.starts.push(now);
      this.counts.push(count);
    }
    this.live += count;
  }

  remove(now: number, count: number): void {
    let left = count;
    while (left > 0) {
      const top = this.starts.length - 1;
      const taken = Math.min(left, this.counts[top]);
      this.settle(this.starts[top], now, taken);
      this.counts[top] -= taken;
      if (this.counts[top] === 0) {
        this.starts.pop();
        this.counts.pop();
      }
      left -= taken;
    }
    this.live -= count;
  }

  private settle(start: number, end: number, count: number): void {
    const inWindow = wholeSeconds(Math.min(end, this.span) - Math.max(start, this.from));
    const shortLived = end - start < POLLER_MINIMUM_BILLED && end >= this.from && end <= this.span;
    this.settledSeconds += count * (shortLived ? Math.max(inWindow, POLLER_MINIMUM_BILLED) : inWindow);
  }

  /**
   * Whether pollers may be removed now: the newest (removed first) have served the minute they
   * are billed for anyway, so scaling down never pays a minute for nothing.
   */
  canRemove(now: number): boolean {
    const top = this.starts.length - 1;
    return top >= 0 && now - this.starts[top] >= POLLER_MINIMUM_BILLED - 1e-9;
  }

  /** Poller-seconds billed in the window: the removed pollers' and the live ones' up to its end. */
  billedSeconds(window: BilledWindow): number {
    let total = this.settledSeconds;
    for (let i = 0; i < this.starts.length; i++) total += this.counts[i] * wholeSeconds(window.to - Math.max(this.starts[i], window.from));
    return total;
  }
}

/** A length of time rounded up to whole seconds (0 for none); the epsilon absorbs float sums of ticks. */
function wholeSeconds(seconds: number): number {
  return seconds > 0 ? Math.ceil(seconds - 1e-9) : 0;
}
