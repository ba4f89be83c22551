/**
 * Times one benchmark scenario end to end (see endToEnd.ts) and prints the result as one JSON
 * line; progress lines go to stderr. Spawned in a fresh process per scenario by run.ts, so each
 * path is timed with its own optimised code, not code V8 has already specialised for another
 * invoker earlier in the same process.
 *
 *   node --expose-gc dist/bench/endToEndProbe.js stream 5000000 3
 */
import { benchEndToEnd } from "./endToEnd.js";
import { isWorkloadName } from "./workloads.js";

const [workload, sizeText, runsText] = process.argv.slice(2);
const size = Number(sizeText);
const runs = Number(runsText);
if (!isWorkloadName(workload) || !(size > 0) || !Number.isInteger(runs) || runs < 1) {
  console.error(
    "usage: node --expose-gc dist/bench/endToEndProbe.js steady|tenant|managed-instances|stream|async|sqs|azure-trace <size> <runs>",
  );
  process.exit(2);
}
const result = benchEndToEnd(workload, size, runs, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${JSON.stringify(result)}\n`);
