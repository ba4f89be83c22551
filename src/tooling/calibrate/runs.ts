import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";

/*
 * The invocation intervals of one function, sorted by start time with memory bounded: records are
 * buffered RUN_RECORDS at a time, each buffer sorted and written to its own run file, and the runs
 * merged at the end. Disk use is O(records) (32 bytes each), memory O(RUN_RECORDS + runs). Logs of
 * one stream are in order, but a file interleaves streams and files overlap, so a sort is needed.
 */

/** start, end (epoch ms), stream index, cold (1) or warm (0). */
const FIELDS = 4;
const RUN_RECORDS = 1 << 18;
const READ_RECORDS = 1 << 12;

export interface Interval {
  start: number;
  end: number;
  stream: number;
  cold: boolean;
}

export class IntervalRuns {
  private buffer = new Float64Array(RUN_RECORDS * FIELDS);
  private filled = 0;
  private readonly runs: { path: string; records: number }[] = [];
  count = 0;

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
  ) {}

  add(start: number, end: number, stream: number, cold: boolean): void {
    const at = this.filled * FIELDS;
    this.buffer[at] = start;
    this.buffer[at + 1] = end;
    this.buffer[at + 2] = stream;
    this.buffer[at + 3] = cold ? 1 : 0;
    this.filled++;
    this.count++;
    if (this.filled === RUN_RECORDS) this.flush();
  }

  private flush(): void {
    if (this.filled === 0) return;
    const n = this.filled;
    const order = Array.from({ length: n }, (_, i) => i);
    const b = this.buffer;
    // Ties keep the order the records were read in, so the output does not depend on the sort.
    order.sort((x, y) => b[x * FIELDS] - b[y * FIELDS] || x - y);
    const sorted = new Float64Array(n * FIELDS);
    for (let i = 0; i < n; i++) sorted.set(b.subarray(order[i] * FIELDS, order[i] * FIELDS + FIELDS), i * FIELDS);
    const path = join(this.dir, `${this.prefix}-${this.runs.length}.bin`);
    const fd = openSync(path, "w");
    try {
      writeSync(fd, new Uint8Array(sorted.buffer));
    } finally {
      closeSync(fd);
    }
    this.runs.push({ path, records: n });
    this.filled = 0;
  }

  /**
   * Every interval added, by start time (ties by the order added). Call once, after the last add.
   * The object yielded is reused: read it before asking for the next.
   */
  *sorted(): Generator<Interval> {
    this.flush();
    this.buffer = new Float64Array(0);
    const readers = this.runs.map((run) => new RunReader(run.path, run.records));
    try {
      // Few runs (records / 2^18): a linear scan for the smallest head costs less than a heap's bookkeeping.
      for (;;) {
        let best = -1;
        for (let r = 0; r < readers.length; r++) {
          const head = readers[r].head;
          if (head !== undefined && (best < 0 || head < readers[best].head!)) best = r;
        }
        if (best < 0) return;
        yield readers[best].take();
      }
    } finally {
      for (const reader of readers) reader.close();
    }
  }
}

class RunReader {
  private readonly fd: number;
  private readonly block = new Float64Array(READ_RECORDS * FIELDS);
  private inBlock = 0;
  private at = 0;
  private left: number;
  private readonly current: Interval = { start: 0, end: 0, stream: 0, cold: false };

  constructor(path: string, records: number) {
    this.fd = openSync(path, "r");
    this.left = records;
    this.fill();
  }

  get head(): number | undefined {
    return this.at < this.inBlock ? this.block[this.at * FIELDS] : undefined;
  }

  take(): Interval {
    const i = this.at * FIELDS;
    const interval = this.current;
    interval.start = this.block[i];
    interval.end = this.block[i + 1];
    interval.stream = this.block[i + 2];
    interval.cold = this.block[i + 3] === 1;
    this.at++;
    if (this.at === this.inBlock) this.fill();
    return interval;
  }

  private fill(): void {
    const n = Math.min(READ_RECORDS, this.left);
    const bytes = new Uint8Array(this.block.buffer, 0, n * FIELDS * 8);
    let read = 0;
    while (read < bytes.length) {
      const got = readSync(this.fd, bytes, read, bytes.length - read, null);
      if (got === 0) break;
      read += got;
    }
    this.inBlock = n;
    this.left -= n;
    this.at = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
