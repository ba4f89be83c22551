/*
 * Storage for the SQS mappings: messages, received batches and small int rings in typed arrays
 * with free lists, so a backlog of millions of messages costs a few dozen bytes each and no
 * objects.
 */

import { grown, grownRing } from "../../common/typedArrays.js";

/** Queued messages of every queue, in one pool of typed arrays with a free list. */
export class Messages {
  arrival = new Float64Array(1024);
  receives = new Int32Array(1024);
  poison = new Uint8Array(1024);
  group = new Int32Array(1024);
  /**
   * 1 for a message deleted by the queue at messageRetention while still on its queue, group or
   * batch list: it is off the arrival-order list and counted, and is freed where it is next met.
   */
  expired = new Uint8Array(1024);
  /** 1 while the message is in a batch (held by a poller or waiting out its visibility timeout). */
  held = new Uint8Array(1024);
  /** Next on the list the message is on: its queue or message group, its batch, or the free list. */
  next = new Int32Array(1024);
  /** Every undeleted message of a queue in arrival order, so the oldest is at hand. */
  older = new Int32Array(1024);
  newer = new Int32Array(1024);
  private freeHead = -1;
  private used = 0;

  allocate(): number {
    const m = this.freeHead;
    if (m >= 0) {
      this.freeHead = this.next[m];
      return m;
    }
    if (this.used === this.arrival.length) this.grow(this.used * 2);
    return this.used++;
  }

  release(m: number): void {
    this.next[m] = this.freeHead;
    this.freeHead = m;
  }

  private grow(capacity: number): void {
    this.arrival = grown(this.arrival, capacity);
    this.receives = grown(this.receives, capacity);
    this.poison = grown(this.poison, capacity);
    this.group = grown(this.group, capacity);
    this.expired = grown(this.expired, capacity);
    this.held = grown(this.held, capacity);
    this.next = grown(this.next, capacity);
    this.older = grown(this.older, capacity);
    this.newer = grown(this.newer, capacity);
  }
}

/** Batches received and not yet settled: held by a poller, or invisible until their return. */
export class Batches {
  queue = new Int32Array(64);
  head = new Int32Array(64);
  tail = new Int32Array(64);
  size = new Int32Array(64);
  poison = new Int32Array(64);
  group = new Int32Array(64);
  live = new Uint8Array(64);
  receivedAt = new Float64Array(64);
  returnAt = new Float64Array(64);
  retryDelay = new Float64Array(64);
  private freeSlots: number[] = [];
  private used = 0;

  allocate(): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.fresh();
    this.live[slot] = 1;
    this.retryDelay[slot] = 0;
    return slot;
  }

  release(slot: number): void {
    this.live[slot] = 0;
    this.freeSlots.push(slot);
  }

  get capacity(): number {
    return this.used;
  }

  private fresh(): number {
    if (this.used === this.queue.length) {
      const capacity = this.used * 2;
      this.queue = grown(this.queue, capacity);
      this.head = grown(this.head, capacity);
      this.tail = grown(this.tail, capacity);
      this.size = grown(this.size, capacity);
      this.poison = grown(this.poison, capacity);
      this.group = grown(this.group, capacity);
      this.live = grown(this.live, capacity);
      this.receivedAt = grown(this.receivedAt, capacity);
      this.returnAt = grown(this.returnAt, capacity);
      this.retryDelay = grown(this.retryDelay, capacity);
    }
    return this.used++;
  }
}

/** A growable ring of int32: batch slots by return time, or message groups ready to be read. */
export class IntRing {
  private buffer = new Int32Array(16);
  private first = 0;
  length = 0;

  get head(): number {
    return this.buffer[this.first];
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.first + this.length) & (this.buffer.length - 1)] = value;
    this.length++;
  }

  shift(): number {
    const value = this.buffer[this.first];
    this.first = (this.first + 1) & (this.buffer.length - 1);
    this.length--;
    return value;
  }

  /**
   * Inserts `value` keeping key[value] ascending, after equal keys. Batches fail in nearly the
   * order they were received, so the scan from the tail stops almost at once.
   */
  insertSorted(value: number, key: Float64Array): void {
    if (this.length === this.buffer.length) this.grow();
    const buffer = this.buffer;
    const mask = buffer.length - 1;
    const k = key[value];
    let i = this.length;
    while (i > 0) {
      const before = buffer[(this.first + i - 1) & mask];
      if (key[before] <= k) break;
      buffer[(this.first + i) & mask] = before;
      i--;
    }
    buffer[(this.first + i) & mask] = value;
    this.length++;
  }

  private grow(): void {
    this.buffer = grownRing(this.buffer, this.first, this.buffer.length * 2);
    this.first = 0;
  }
}
