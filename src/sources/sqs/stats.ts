import type { BilledWindow, PollerLedger } from "./pollers.js";

/** What an SQS mapping measures about one function; counts are of messages, not invocations. */
export class SqsStats {
  messages = 0;
  /** Messages deleted after a successful batch (or reported as not failed). */
  deleted = 0;
  /** Message receives, a throttled batch's included (each counts toward maxReceiveCount). */
  receives = 0;
  movedToDlq = 0;
  /** Messages deleted by the queue after messageRetention. */
  expired = 0;
  maxConcurrentPollers = 0;
  /** ApproximateAgeOfOldestMessage, highest seen (ms). */
  oldestMessageAgeMax = 0;
  /** The event poller ledgers of the function's mappings in provisioned mode (none: default scaling). */
  readonly pollerLedgers: PollerLedger[] = [];
  /** Most event pollers of the function's provisioned mappings at once, summed over mappings. */
  eventPollersMax = 0;
  /** Event poller seconds billed in the measured window (settled once the window is known). */
  pollerSecondsBilled = 0;

  get provisioned(): boolean {
    return this.pollerLedgers.length > 0;
  }

  /** Bills the provisioned pollers over the measured window, now that the run has ended. */
  settlePollers(window: BilledWindow): number {
    this.pollerSecondsBilled = this.pollerLedgers.reduce((sum, ledger) => sum + ledger.billedSeconds(window), 0);
    return this.pollerSecondsBilled;
  }
}
