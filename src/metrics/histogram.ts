// Log buckets span [2^MIN_EXP, 2^MAX_EXP) ≈ [9.5e-7, 1.07e9] ms. Each octave is
// split into 2^MANTISSA_BITS linear sub-buckets, so a bucket is at most 2^-7 ≈ 0.78 %
// wide relative to its lower edge and its midpoint is within 0.39 % of any member.
const MIN_EXP = -20;
const MAX_EXP = 30;
const MANTISSA_BITS = 7;
const SUB_BUCKETS = 1 << MANTISSA_BITS;

// Index 0 holds exact zeros, which have no logarithm; log buckets are 1..LAST.
const ZERO_BUCKET = 0;
const LAST = (MAX_EXP - MIN_EXP) * SUB_BUCKETS;
const BUCKET_COUNT = LAST + 1;

// The high 32 bits of a positive double are [0 | 11-bit exponent | 20 mantissa bits];
// dropping the low 13 leaves exponent and top 7 mantissa bits, which is already the
// log-linear bucket number up to this offset (chosen so 2^MIN_EXP lands in bucket 1).
const BIAS = ((1023 + MIN_EXP) << MANTISSA_BITS) - 1;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// Which half of the double is the high word depends on platform byte order.
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

// Shared by every instance after it switches to histogram mode, so the sample
// buffer can be released without making the field nullable.
const NO_SAMPLES = new Float64Array(0);

function bucketOf(value: number): number {
  scratch[0] = value;
  const bucket = (scratchWords[HIGH_WORD] >>> (20 - MANTISSA_BITS)) - BIAS;
  if (bucket < 1) return value === 0 ? ZERO_BUCKET : 1;
  // biome-ignore lint/complexity/useMathMinMax: hot path (every recorded value); a compare beats a Math.min call in the baseline.
  return bucket > LAST ? LAST : bucket;
}

function rejectLatency(value: number): never {
  throw new RangeError(`latency must be a finite non-negative number, got ${value}`);
}

function midpoint(bucket: number): number {
  if (bucket === ZERO_BUCKET) return 0;
  const k = bucket - 1;
  return 2 ** (MIN_EXP + (k >> MANTISSA_BITS)) * (1 + ((k & (SUB_BUCKETS - 1)) + 0.5) / SUB_BUCKETS);
}

/** R-7 quantile of ascending values, as d3-array's quantileSorted computes it (n >= 1). */
function quantileOfSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (p <= 0 || n < 2) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const rank = (n - 1) * p;
  const below = Math.floor(rank);
  const v0 = sorted[below];
  return v0 + (sorted[below + 1] - v0) * (rank - below);
}

/** Midpoint of the bucket holding the `index`-th smallest sample (0-based). */
function orderStatistic(buckets: Float64Array, index: number): number {
  let b = 0;
  let seen = buckets[0];
  while (seen <= index) seen += buckets[++b];
  return midpoint(b);
}

/**
 * Streaming latency recorder with bounded memory: exact for the first
 * `exactCapacity` samples, then a fixed-size log-linear histogram whose quantiles
 * are within 0.5 % (relative) of the exact ones. Results depend only on the
 * sequence of recorded values.
 */
export class LatencyHistogram {
  private samples: Float64Array;
  private buckets: Float64Array | null = null;
  /** Zeroed buckets left by clear(), for the next fold. */
  private spare: Float64Array | null = null;
  private readonly capacity: number;
  private n = 0;
  private total = 0;
  private lo = Infinity;
  private hi = -Infinity;
  /**
   * The exact samples in ascending order, kept between quantile() calls: valid while it holds n
   * values (recording adds one, clear() drops it), so record() pays nothing for it.
   */
  private sorted: Float64Array | null = null;

  constructor(exactCapacity = 2048) {
    if (!Number.isInteger(exactCapacity) || exactCapacity < 0) {
      throw new RangeError(`exactCapacity must be a non-negative integer, got ${exactCapacity}`);
    }
    this.capacity = exactCapacity;
    this.samples = new Float64Array(exactCapacity);
  }

  /**
   * Kept small, with the rare paths in functions of their own, so that V8 inlines it where an
   * invocation ends: a call that is not inlined boxes its double argument on the heap.
   */
  record(value: number): void {
    // A NaN, negative or infinite latency is a simulator bug; silently bucketing it
    // would corrupt sum/min/max and hide the bug in every later report.
    if (!(value >= 0 && value < Infinity)) rejectLatency(value);
    const buckets = this.buckets;
    if (buckets !== null) buckets[bucketOf(value)]++;
    else this.recordExact(value);
    this.n++;
    this.total += value;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  get count(): number {
    return this.n;
  }

  get sum(): number {
    return this.total;
  }

  get min(): number {
    return this.n === 0 ? NaN : this.lo;
  }

  get max(): number {
    return this.n === 0 ? NaN : this.hi;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n;
  }

  /** True while every recorded sample is still held verbatim. */
  get isExact(): boolean {
    return this.buckets === null;
  }

  /** Bytes held by the sample buffer and bucket array; does not grow with count. */
  get footprintBytes(): number {
    return this.samples.byteLength + (this.buckets?.byteLength ?? 0) + (this.spare?.byteLength ?? 0);
  }

  /** R-7 quantile (as d3.quantile); NaN when empty. */
  quantile(p: number): number {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
    if (this.n === 0) return NaN;
    if (this.buckets === null) {
      // A typed array sorts numerically in native code, several times faster than a comparator on
      // boxed numbers; the order is the same (samples are finite and >= 0). Per-period histograms
      // ask for two or three quantiles of each period, so the sorted copy is kept until a change.
      if (this.sorted === null || this.sorted.length !== this.n) this.sorted = this.samples.slice(0, this.n).sort();
      return quantileOfSorted(this.sorted, p);
    }
    if (p === 0) return this.lo;
    if (p === 1) return this.hi;
    // Interpolate between the two neighbouring order statistics like R-7 does, so a
    // rank that falls in a gap between clusters (e.g. zeros vs. real latencies) lands
    // between them instead of snapping to one side.
    const rank = p * (this.n - 1);
    const below = Math.floor(rank);
    const v0 = orderStatistic(this.buckets, below);
    const v1 = rank === below ? v0 : orderStatistic(this.buckets, below + 1);
    const q = v0 + (v1 - v0) * (rank - below);
    return Math.min(this.hi, Math.max(this.lo, q));
  }

  /**
   * Visits the recorded distribution in ascending order of value, with how many samples each value
   * stands for: the samples themselves while exact, then the occupied buckets' midpoints (clamped to
   * [min, max], as quantile() is). For drawing the whole distribution, e.g. as a CDF.
   */
  forEachValue(visit: (value: number, count: number) => void): void {
    if (this.buckets === null) {
      const sorted = this.samples.slice(0, this.n).sort();
      for (let i = 0; i < sorted.length; ) {
        let j = i + 1;
        while (j < sorted.length && sorted[j] === sorted[i]) j++;
        visit(sorted[i], j - i);
        i = j;
      }
      return;
    }
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const count = this.buckets[b];
      if (count > 0) visit(Math.min(this.hi, Math.max(this.lo, midpoint(b))), count);
    }
  }

  merge(other: LatencyHistogram): void {
    if (other.buckets === null) {
      // Captured up front because `other` may be `this`, whose buffer can be
      // released mid-loop when it overflows.
      const values = other.samples;
      const n = other.n;
      for (let i = 0; i < n; i++) this.record(values[i]);
      return;
    }
    const mine = this.buckets ?? this.fold();
    const theirs = other.buckets;
    for (let b = 0; b < BUCKET_COUNT; b++) mine[b] += theirs[b];
    this.n += other.n;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /**
   * Forgets every sample, for reuse over the next period, exact again. Folded buckets are kept for
   * the next fold, zeroed only between the lowest and highest value recorded (the only ones that
   * can be non-zero), so a period costs what it recorded, not the 51 KB of the whole bucket array.
   */
  clear(): void {
    if (this.buckets !== null) {
      this.buckets.fill(0, bucketOf(this.lo), bucketOf(this.hi) + 1);
      this.spare = this.buckets;
      this.buckets = null;
      this.samples = new Float64Array(this.capacity);
    }
    this.n = 0;
    this.total = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
    this.sorted = null;
  }

  private recordExact(value: number): void {
    if (this.n < this.samples.length) this.samples[this.n] = value;
    else this.fold()[bucketOf(value)]++;
  }

  private fold(): Float64Array {
    // Float64 counts stay exact up to 2^53, so long simulations cannot overflow a bucket.
    const buckets = this.spare ?? new Float64Array(BUCKET_COUNT);
    this.spare = null;
    for (let i = 0; i < this.n; i++) buckets[bucketOf(this.samples[i])]++;
    this.buckets = buckets;
    this.samples = NO_SAMPLES;
    return buckets;
  }
}

export interface QuantileSummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Headline statistics for reports. An empty histogram yields all zeros rather than
 * NaN so that reports, CSV and JSON output stay numeric for functions that were
 * never invoked.
 */
export function summarize(h: LatencyHistogram): QuantileSummary {
  if (h.count === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    mean: h.mean,
    p50: h.quantile(0.5),
    p90: h.quantile(0.9),
    p99: h.quantile(0.99),
    p999: h.quantile(0.999),
    max: h.max,
  };
}
