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
 *
 * (time, sequence) orders all events strictly, so which event pops next depends only on which
 * events are pending, not on how the heap is arranged. That leaves the heap free to work lazily:
 * pop() leaves the root as a hole, and pushes made while it is open (by the handler of the event
 * just popped) wait in a small buffer. The next read fills the hole with the earliest of them
 * (one sift-down that usually stops at once: a handler typically schedules its own successor a
 * little later) and sifts the others up from the bottom, where late events stay. Without a
 * buffered push the hole is filled bottom-up (Floyd): the hole sinks to a leaf along the smaller
 * children, one comparison a level, and the last element rises from there, usually not far.
 *
 * A lane holds at most one pending event outside the heap, for a stream that always has exactly
 * its next event pending (a source's next arrival): pop() compares the earliest lane with the
 * heap's root. A lane's event takes its sequence number when it is pushed, from the same counter
 * as the heap's, so the pop order is the one the heap alone would give; what it saves is the
 * event's trip through the heap, half the events of a run where each arrival is one invocation.
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
  /** Heap slots in use, the hole at the root included. */
  private length = 0;
  private nextSeq = 0;
  /** The root slot's event was popped and the slot is not filled yet. */
  private hole = false;
  /** Events pushed while the hole is open, in push (= sequence) order. */
  private bufferIds: Int32Array;
  private bufferTimes: Float64Array;
  private buffered = 0;
  /** Per lane: its event's time, sequence (-1: none pending), kind and payload. */
  private laneTimes = new Float64Array(0);
  private laneSeqs = new Float64Array(0);
  private laneKinds = new Int32Array(0);
  private lanePayloads = new Int32Array(0);
  /** The lane whose event is earliest, -1 when no lane has one. */
  private firstLane = -1;
  private lanesPending = 0;

  /** Time, kind and payload of the event returned by the last pop(). */
  poppedTime = 0;
  poppedKind = 0;
  poppedPayload = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.heap = new Int32Array(capacity);
    this.heapTimes = new Float64Array(capacity);
    this.heapTimes[0] = Infinity;
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.payloads = new Int32Array(capacity);
    this.freeIds = new Int32Array(capacity);
    this.bufferIds = new Int32Array(16);
    this.bufferTimes = new Float64Array(16);
  }

  get size(): number {
    if (this.hole) this.settle();
    return this.length + this.lanesPending;
  }

  /** Earliest pending time, or Infinity when nothing is pending. */
  peekTime(): number {
    if (this.hole) this.settle();
    // heapTimes[0] is Infinity while the heap is empty. Choosing between the constant and the
    // array's double here made V8 box the result on the heap, once per event of the run loop.
    const lane = this.firstLane;
    if (lane < 0) return this.heapTimes[0];
    return Math.min(this.heapTimes[0], this.laneTimes[lane]);
  }

  /** Adds a lane (see the class comment) and returns its number. */
  addLane(): number {
    const lane = this.laneSeqs.length;
    this.laneTimes = grown(this.laneTimes, lane + 1);
    this.laneSeqs = grown(this.laneSeqs, lane + 1);
    this.laneSeqs[lane] = -1;
    this.laneKinds = grown(this.laneKinds, lane + 1);
    this.lanePayloads = grown(this.lanePayloads, lane + 1);
    return lane;
  }

  /** Whether the lane has its event pending. */
  lanePending(lane: number): boolean {
    return this.laneSeqs[lane] >= 0;
  }

  /** Pushes an event into a lane that has none pending; it pops as if pushed with push(). */
  pushLane(lane: number, time: number, kind: number, payload: number): void {
    this.laneTimes[lane] = time;
    this.laneSeqs[lane] = this.nextSeq++;
    this.laneKinds[lane] = kind;
    this.lanePayloads[lane] = payload;
    this.lanesPending++;
    const first = this.firstLane;
    if (first < 0 || this.laneBefore(lane, first)) this.firstLane = lane;
  }

  push(time: number, kind: number, payload: number): void {
    const id = this.allocateId();
    this.seqs[id] = this.nextSeq++;
    this.kinds[id] = kind;
    this.payloads[id] = payload;
    // Without a hole the buffer is empty and its first slot only hands the event to the sift.
    const slot = this.buffered;
    if (slot === this.bufferIds.length) this.growBuffer();
    this.bufferIds[slot] = id;
    this.bufferTimes[slot] = time;
    if (this.hole) this.buffered++;
    else this.siftUpBuffered(slot);
  }

  /** Removes the earliest event (size > 0) and exposes it through poppedTime/poppedKind/poppedPayload. */
  pop(): void {
    this.popUntil(Infinity);
  }

  /**
   * pop() if an event is pending at or before `until`; returns whether it did. The run loop's
   * one call per event: size, peekTime() and pop() each settled and chose between lane and heap.
   */
  popUntil(until: number): boolean {
    if (this.hole) this.settle();
    const lane = this.firstLane;
    if (lane >= 0 && this.laneFirst(lane)) {
      if (this.laneTimes[lane] > until) return false;
      this.popLane(lane);
      return true;
    }
    if (this.length === 0 || this.heapTimes[0] > until) return false;
    this.popRoot();
    return true;
  }

  private popRoot(): void {
    const top = this.heap[0];
    this.poppedTime = this.heapTimes[0];
    this.poppedKind = this.kinds[top];
    this.poppedPayload = this.payloads[top];
    this.freeIds[this.freeCount++] = top;
    this.hole = true;
  }

  /** Whether the lane's event pops before the heap's root (the heap is settled). */
  private laneFirst(lane: number): boolean {
    const time = this.laneTimes[lane];
    const rootTime = this.heapTimes[0];
    if (time !== rootTime) return time < rootTime;
    return this.length === 0 || this.laneSeqs[lane] < this.seqs[this.heap[0]];
  }

  /** Whether lane a's event pops before lane b's (both pending). */
  private laneBefore(a: number, b: number): boolean {
    const times = this.laneTimes;
    return times[a] < times[b] || (times[a] === times[b] && this.laneSeqs[a] < this.laneSeqs[b]);
  }

  /** Takes the lane's event; the heap keeps its root, so no hole opens. */
  private popLane(lane: number): void {
    this.poppedTime = this.laneTimes[lane];
    this.poppedKind = this.laneKinds[lane];
    this.poppedPayload = this.lanePayloads[lane];
    this.laneSeqs[lane] = -1;
    this.lanesPending--;
    let first = -1;
    if (this.lanesPending > 0) {
      for (let other = 0; other < this.laneSeqs.length; other++) {
        if (this.laneSeqs[other] >= 0 && (first < 0 || this.laneBefore(other, first))) first = other;
      }
    }
    this.firstLane = first;
  }

  /** Fills the hole left by pop() with the pushes made since, or with the heap's last element. */
  private settle(): void {
    this.hole = false;
    const count = this.buffered;
    if (count === 0) {
      this.fillHoleFromLast();
      return;
    }
    this.buffered = 0;
    const times = this.bufferTimes;
    // The earliest push goes to the root; on equal times the first pushed is the earlier event.
    let first = 0;
    for (let i = 1; i < count; i++) if (times[i] < times[first]) first = i;
    this.siftDownBuffered(first);
    for (let i = 0; i < count; i++) if (i !== first) this.siftUpBuffered(i);
  }

  /**
   * Places the buffered event in `slot`, pushed after everything in the heap, at the root and
   * sifts it down. The sifts take buffer slots, not times: a double passed to a call V8 does not
   * inline is boxed on the heap, once per event. Being the latest pushed, it goes after any
   * equal-time event, so only the choice between two children needs sequence numbers.
   */
  private siftDownBuffered(slot: number): void {
    const id = this.bufferIds[slot];
    const time = this.bufferTimes[slot];
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    const length = this.length;
    const half = length >> 1;
    let position = 0;
    while (position < half) {
      let child = 2 * position + 1;
      if (child + 1 < length) child += this.rightFirst(child);
      const childTime = heapTimes[child];
      if (childTime > time) break;
      heap[position] = heap[child];
      heapTimes[position] = childTime;
      position = child;
    }
    heap[position] = id;
    heapTimes[position] = time;
  }

  /** Adds at the bottom and sifts up the buffered event in `slot`, pushed after everything in the heap. */
  private siftUpBuffered(slot: number): void {
    const id = this.bufferIds[slot];
    const time = this.bufferTimes[slot];
    let position = this.length++;
    if (position === this.heap.length) this.growHeap();
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parentTime = heapTimes[parentPosition];
      if (parentTime <= time) break;
      heap[position] = heap[parentPosition];
      heapTimes[position] = parentTime;
      position = parentPosition;
    }
    heap[position] = id;
    heapTimes[position] = time;
  }

  /** Floyd's bottom-up removal of the root: sink the hole to a leaf, then raise the last element. */
  private fillHoleFromLast(): void {
    const length = --this.length;
    if (length === 0) {
      this.heapTimes[0] = Infinity;
      return;
    }
    const heap = this.heap;
    const heapTimes = this.heapTimes;
    const seqs = this.seqs;
    const id = heap[length];
    const time = heapTimes[length];
    const half = length >> 1;
    let position = 0;
    while (position < half) {
      let child = 2 * position + 1;
      if (child + 1 < length) child += this.rightFirst(child);
      const childTime = heapTimes[child];
      heap[position] = heap[child];
      heapTimes[position] = childTime;
      position = child;
    }
    const seq = seqs[id];
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parentTime = heapTimes[parentPosition];
      if (parentTime < time || (parentTime === time && seqs[heap[parentPosition]] < seq)) break;
      heap[position] = heap[parentPosition];
      heapTimes[position] = parentTime;
      position = parentPosition;
    }
    heap[position] = id;
    heapTimes[position] = time;
  }

  /**
   * 1 when the right sibling of heap position `left` pops before it, else 0. Which child is
   * earlier is a coin toss the branch predictor loses half the time at every level of a sift, so
   * the usual case (different times) is a comparison turned into a number, not a branch: a
   * third less time per pop-and-push in a queue of 600 events.
   */
  private rightFirst(left: number): number {
    const leftTime = this.heapTimes[left];
    const rightTime = this.heapTimes[left + 1];
    if (rightTime === leftTime) return Number(this.seqs[this.heap[left + 1]] < this.seqs[this.heap[left]]);
    return Number(rightTime < leftTime);
  }

  private allocateId(): number {
    if (this.freeCount > 0) return this.freeIds[--this.freeCount];
    if (this.nextFreshId === this.seqs.length) this.growIds();
    return this.nextFreshId++;
  }

  private growIds(): void {
    const capacity = this.seqs.length * 2;
    this.seqs = grown(this.seqs, capacity);
    this.kinds = grown(this.kinds, capacity);
    this.payloads = grown(this.payloads, capacity);
    this.freeIds = grown(this.freeIds, capacity);
  }

  private growBuffer(): void {
    this.bufferIds = grown(this.bufferIds, this.bufferIds.length * 2);
    this.bufferTimes = grown(this.bufferTimes, this.bufferTimes.length * 2);
  }

  private growHeap(): void {
    const capacity = this.heap.length * 2;
    this.heap = grown(this.heap, capacity);
    this.heapTimes = grown(this.heapTimes, capacity);
  }
}
