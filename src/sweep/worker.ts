import { parentPort } from "node:worker_threads";
import { runTask, type SweepTask } from "./task.js";

/** A sweep worker thread: runs the tasks it is sent, one at a time, and posts each summary back. */
const port = parentPort;
if (port === null) throw new Error("src/sweep/worker.ts runs only as a worker thread");
port.on("message", (task: SweepTask) => {
  try {
    port.postMessage({ id: task.id, summary: runTask(task) });
  } catch (error) {
    port.postMessage({ id: task.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
