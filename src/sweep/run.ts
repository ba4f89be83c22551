import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Summary } from "../report/summary.js";
import { replicationSeeds, type SweepPlan } from "./plan.js";
import { runTask, type SweepTask } from "./task.js";

export interface SweepRunOptions {
  /** Threads to run variants on; 1 runs them in this thread. */
  workers: number;
  /** Run only the variants of this slice: index % count === part - 1 (1-based part). */
  shard?: { part: number; count: number };
  /** Told after each finished simulation: done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** The summaries of one variant, one per replication. */
export interface VariantResult {
  index: number;
  summaries: Summary[];
}

function variantsInShard(plan: SweepPlan, shard: SweepRunOptions["shard"]): number[] {
  return plan.variants.map((v) => v.index).filter((index) => shard === undefined || index % shard.count === shard.part - 1);
}

/**
 * Runs the sweep's simulations, on worker threads when asked for more than one. Every variant and
 * replication is an independent deterministic simulation, so the results do not depend on how
 * many threads ran them or in what order they finished.
 */
export async function runSweep(plan: SweepPlan, options: SweepRunOptions): Promise<VariantResult[]> {
  const { replications, seed, name } = plan.definition;
  const indices = variantsInShard(plan, options.shard);
  const seeds = replicationSeeds(seed, replications);
  const tasks: SweepTask[] = indices.flatMap((index) =>
    seeds.map((taskSeed, r) => ({
      id: index * replications + r,
      input: plan.variants[index].input,
      baseDir: plan.baseDir,
      defaultName: name,
      seed: taskSeed,
    })),
  );
  const summaries = new Map<number, Summary>();
  const progress = () => options.onProgress?.(summaries.size, tasks.length);
  if (options.workers <= 1 || tasks.length <= 1) {
    for (const task of tasks) {
      summaries.set(task.id, runTask(task));
      progress();
    }
  } else {
    await runOnWorkers(tasks, Math.min(options.workers, tasks.length), (id, summary) => {
      summaries.set(id, summary);
      progress();
    });
  }
  return indices.map((index) => ({
    index,
    summaries: Array.from({ length: replications }, (_, r) => summaries.get(index * replications + r)!),
  }));
}

/** The compiled worker: beside this file in dist/, or dist's copy when running from TypeScript sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "worker.js");
  const compiled = here.replace(/([\\/])src([\\/])sweep([\\/])run\.ts$/, "$1dist$1src$1sweep$1worker.js");
  if (!existsSync(compiled)) throw new Error(`the sweep worker is not built (${compiled}): run npm run build`);
  return compiled;
}

async function runOnWorkers(tasks: SweepTask[], threads: number, done: (id: number, summary: Summary) => void): Promise<void> {
  const file = workerFile();
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const feed = (worker: Worker) => {
        if (next < tasks.length) worker.postMessage(tasks[next++]);
      };
      for (let i = 0; i < threads; i++) {
        const worker = new Worker(file);
        workers.push(worker);
        worker.on("message", (message: { id: number; summary?: Summary; error?: string }) => {
          if (message.error !== undefined) {
            reject(new Error(`sweep task ${message.id} failed in a worker: ${message.error}`));
            return;
          }
          done(message.id, message.summary!);
          if (++finished === tasks.length) resolve();
          else feed(worker);
        });
        worker.on("error", reject);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
