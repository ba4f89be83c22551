/**
 * Preloaded (`node --import`) into a CLI process the bench times: at exit it writes the process's
 * peak resident set size and CPU time to the file named by LAMBDASIM_BENCH_USAGE, so the command is
 * measured exactly as users run it (bin/lambdasim.js, the bundled CLI), with nothing of the bench
 * in its heap.
 */
import { writeFileSync } from "node:fs";

const file = process.env.LAMBDASIM_BENCH_USAGE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
