#!/usr/bin/env node
import { EXIT_BAD_INPUT, EXIT_INTERNAL, internalErrorText, main, standardOutputProblem, wantsDebug } from "../dist/cli/main.js";

const argv = process.argv.slice(2);

process.stdout.on("error", (error) => {
  // A reader that stops early (| head) closes the pipe; that is not an error of ours.
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(`error: ${standardOutputProblem(error)}\n`);
  process.exit(EXIT_BAD_INPUT);
});

// What escapes main (an error event nothing awaits) is a bug like any other: one line, exit 3.
process.on("uncaughtException", (error) => {
  process.stderr.write(internalErrorText(error, wantsDebug(argv)));
  process.exit(EXIT_INTERNAL);
});

process.exitCode = await main(argv);
