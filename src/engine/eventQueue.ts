import { grown } from "../common/typedArrays.js";

/**
 * A binary min-heap of pending events ordered by (time, insertion sequence).
 *
 * Events live in parallel typed arrays indexed by an event id taken from a free list, and the
 * heap itself holds ids. Object-per-event heaps allocate on every schedule and were 3-10x slower
 * at the millions of events a run produces; here a push or pop touches only numbers.
 * Each event's time is kept beside its id in heap order (heapTimes), so sifting compares
 * contiguous numbers instead of following ids; the sequence number is read only on a tie.
 * The sequence number makes equal-time events fire in the order they were scheduled, which is
 * what makes runs reproducible.
 */
export class EventQueue {
  private heap: Int32Array;
  private heapTimes: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private payloads: Int32Array;
  private freeIds: Int32Array;
  private freeCount = 0;
  private nextFreshId = 0;
  private length = 0;
  private nextSeq = 0;

  /** Time, kind and payload of the event returned by the last pop(). */
  poppedTime = 0;
  poppedKind = 0;
  poppedPayload = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.heap = new Int32Array(capacity);
    this.heapTimes = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.payloads = new Int32Array(capacity);
    this.freeIds = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Earliest pending time, or Infinity when nothing is pending. */
  peekTime(): number {
    return this.length === 0 ? Infinity : this.heapTimes[0];
  }

  push(time: number, kind: number, payload: number): void {
    const id = this.allocateId();
    const seq = this.nextSeq++;
    this.seqs[id] = seq;
    this.kinds[id] = kind;
    this.payloads[id] = payload;
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    let position = this.length++;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parentTime = heapTimes[parentPosition];
      // A new event has the highest sequence number, so it goes after any equal-time event.
      if (parentTime <= time) break;
      heap[position] = heap[parentPosition];
      heapTimes[position] = parentTime;
      position = parentPosition;
    }
    heap[position] = id;
    heapTimes[position] = time;
  }

  /** Removes the earliest event and exposes it through poppedTime/poppedKind/poppedPayload. */
  pop(): void {
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    const top = heap[0];
    this.poppedTime = heapTimes[0];
    this.poppedKind = this.kinds[top];
    this.poppedPayload = this.payloads[top];
    this.freeIds[this.freeCount++] = top;
    const length = --this.length;
    if (length === 0) return;
    const id = heap[length];
    const time = heapTimes[length];
    const seqs = this.seqs;
    const seq = seqs[id];
    const half = length >> 1;
    let position = 0;
    while (position < half) {
      let child = 2 * position + 1;
      let childTime = heapTimes[child];
      const right = child + 1;
      if (right < length) {
        const rightTime = heapTimes[right];
        if (rightTime < childTime || (rightTime === childTime && seqs[heap[right]] < seqs[heap[child]])) {
          child = right;
          childTime = rightTime;
        }
      }
      if (childTime > time || (childTime === time && seqs[heap[child]] > seq)) break;
      heap[position] = heap[child];
      heapTimes[position] = childTime;
      position = child;
    }
    heap[position] = id;
    heapTimes[position] = time;
  }

  private allocateId(): number {
    if (this.freeCount > 0) return this.freeIds[--this.freeCount];
    if (this.nextFreshId === this.seqs.length) this.grow();
    return this.nextFreshId++;
  }

  private grow(): void {
    const capacity = this.seqs.length * 2;
    this.heap = grown(this.heap, capacity);
    this.heapTimes = grown(this.heapTimes, capacity);
    this.seqs = grown(this.seqs, capacity);
    this.kinds = grown(this.kinds, capacity);
    this.payloads = grown(this.payloads, capacity);
    this.freeIds = grown(this.freeIds, capacity);
  }
}
