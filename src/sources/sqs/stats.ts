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
}
