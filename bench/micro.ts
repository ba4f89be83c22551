import { Bench } from "tinybench";
import seedrandom from "seedrandom";
import { lognormalFromMedianP99, sampler } from "../src/engine/distributions.js";
import { EventQueue } from "../src/engine/eventQueue.js";
import { RngStreams } from "../src/engine/rng.js";
import { benchHistogram, SAMPLES as HISTOGRAM_SAMPLES } from "./histogram.bench.js";

/** Inner operations per tinybench iteration, so timer overhead (~50 ns) is spread over many. */
const BATCH = 10_000;

export interface MicroRow {
  name: string;
  /** Nanoseconds per inner operation (a push+pop pair, a draw, a record), from the mean sample. */
  nsPerOp: number;
  /** Inner operations per second, 1e9 / nsPerOp. */
  opsPerSecond: number;
  /** Relative margin of error of the mean latency, percent. */
  rme: number;
  /** Tinybench samples (iterations) measured. */
  samples: number;
}

// Values consumed by the tasks so V8 cannot drop the work as dead code.
let sink = 0;

/** Exponential(1) increments generated up front, so the queue tasks time only the queue. */
function increments(n: number): Float64Array {
  const uniform = seedrandom.alea("event-queue-bench");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = -Math.log(1 - uniform());
  return values;
}

/**
 * The classic "hold" model of priority-queue benchmarking: a queue holding `pending` events,
 * each operation pops the earliest and pushes one new event a random increment after it, so
 * the size stays constant. Mirrors the simulator, where each fired event schedules the next.
 */
function addHoldTask(bench: Bench, pending: number, ops: Map<string, number>): void {
  const INC_MASK = (1 << 16) - 1;
  const inc = increments(INC_MASK + 1);
  const queue = new EventQueue(pending);
  for (let i = 0; i < pending; i++) queue.push(inc[i & INC_MASK] * pending, i & 7, i);
  let k = 0;
  const name = `EventQueue hold, ${pending.toLocaleString("en-US")} pending (push+pop pair)`;
  ops.set(name, BATCH);
  bench.add(name, () => {
    for (let i = 0; i < BATCH; i++) {
      queue.pop();
      queue.push(queue.poppedTime + inc[k++ & INC_MASK] * pending, queue.poppedKind, queue.poppedPayload);
    }
    sink += queue.size;
  });
}

function addDrawTask(bench: Bench, name: string, draw: () => number, ops: Map<string, number>): void {
  ops.set(name, BATCH);
  bench.add(name, () => {
    let sum = 0;
    for (let i = 0; i < BATCH; i++) sum += draw();
    sink += sum;
  });
}

/** Runs the queue, RNG and histogram micro-benchmarks; `timeMs` is tinybench's budget per task. */
export async function benchMicro(timeMs: number): Promise<MicroRow[]> {
  const bench = new Bench({ name: "lambdasim micro", time: timeMs, warmupTime: Math.min(250, timeMs) });
  const ops = new Map<string, number>();

  addHoldTask(bench, 1_000, ops);
  addHoldTask(bench, 100_000, ops);

  const rng = new RngStreams(1);
  addDrawTask(bench, "RNG alea uniform draw (RngStreams.stream)", rng.stream("bench:uniform"), ops);
  addDrawTask(bench, "exponential sampler, mean 100 ms", sampler({ kind: "exponential", mean: 0.1 }, rng.stream("bench:exp")), ops);
  addDrawTask(
    bench,
    "lognormal sampler, median 80 ms p99 400 ms",
    sampler(lognormalFromMedianP99(0.08, 0.4), rng.stream("bench:lognormal")),
    ops,
  );

  const before = new Set(bench.tasks.map((t) => t.name));
  await benchHistogram(bench);
  for (const task of bench.tasks) if (!before.has(task.name)) ops.set(task.name, HISTOGRAM_SAMPLES);

  await bench.run();
  if (sink === 42) console.log(""); // never true in practice; keeps `sink` observable

  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== "completed") {
      throw new Error(`micro-benchmark "${task.name}" ${result.state}${"error" in result ? `: ${result.error.message}` : ""}`);
    }
    const perIteration = ops.get(task.name) ?? 1;
    const nsPerOp = (result.latency.mean * 1e6) / perIteration;
    return {
      name: task.name,
      nsPerOp,
      opsPerSecond: 1e9 / nsPerOp,
      rme: result.latency.rme,
      samples: result.latency.samplesCount,
    };
  });
}
