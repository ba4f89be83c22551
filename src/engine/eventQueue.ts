/**
 * A binary min-heap of pending events ordered by (time, insertion sequence).
 *
 * Events live in parallel typed arrays indexed by an event id taken from a free list, and the
 * heap itself holds ids. Object-per-event heaps allocate on every schedule and were 3-10x slower
 * at the millions of events a run produces; here a push or pop touches only numbers.
 * The sequence number makes equal-time events fire in the order they were scheduled, which is
 * what makes runs reproducible.
 */
export class EventQueue {
  private heap: Int32Array;
  private times: Float64Array;
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
    this.times = new Float64Array(capacity);
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
    return this.length === 0 ? Infinity : this.times[this.heap[0]];
  }

  push(time: number, kind: number, payload: number): void {
    const id = this.allocateId();
    this.times[id] = time;
    this.seqs[id] = this.nextSeq++;
    this.kinds[id] = kind;
    this.payloads[id] = payload;
    this.siftUp(this.length++, id);
  }

  /** Removes the earliest event and exposes it through poppedTime/poppedKind/poppedPayload. */
  pop(): void {
    const heap = this.heap;
    const top = heap[0];
    this.poppedTime = this.times[top];
    this.poppedKind = this.kinds[top];
    this.poppedPayload = this.payloads[top];
    this.freeIds[this.freeCount++] = top;
    const last = heap[--this.length];
    if (this.length > 0) this.siftDown(0, last);
  }

  private allocateId(): number {
    if (this.freeCount > 0) return this.freeIds[--this.freeCount];
    if (this.nextFreshId === this.times.length) this.grow();
    return this.nextFreshId++;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const resize = <T extends Int32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as { new (n: number): T })(capacity);
      next.set(old);
      return next;
    };
    this.heap = resize(this.heap);
    this.times = resize(this.times);
    this.seqs = resize(this.seqs);
    this.kinds = resize(this.kinds);
    this.payloads = resize(this.payloads);
    this.freeIds = resize(this.freeIds);
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a];
    const tb = this.times[b];
    return ta < tb || (ta === tb && this.seqs[a] < this.seqs[b]);
  }

  private siftUp(position: number, id: number): void {
    const heap = this.heap;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parent = heap[parentPosition];
      if (!this.before(id, parent)) break;
      heap[position] = parent;
      position = parentPosition;
    }
    heap[position] = id;
  }

  private siftDown(position: number, id: number): void {
    const heap = this.heap;
    const length = this.length;
    const half = length >> 1;
    while (position < half) {
      let child = 2 * position + 1;
      let childId = heap[child];
      const right = child + 1;
      if (right < length && this.before(heap[right], childId)) {
        child = right;
        childId = heap[right];
      }
      if (!this.before(childId, id)) break;
      heap[position] = childId;
      position = child;
    }
    heap[position] = id;
  }
}
