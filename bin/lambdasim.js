#!/usr/bin/env node
"use strict";
// CommonJS (bin/package.json): an ES module entry would load Node's ESM loader first, a tenth of start-up.
const { join } = require("node:path");
const { loadBundle } = require("./loadBundle.js");

const { EXIT_INTERNAL, internalErrorText, main, wantsDebug } = loadBundle(join(__dirname, "../dist/cli")).exports;

const argv = process.argv.slice(2);

// What escapes main (an error event nothing awaits) is a bug like any other: one line, exit 3.
const internalError = (error) => {
  process.stderr.write(internalErrorText(error, wantsDebug(argv)));
  process.exit(EXIT_INTERNAL);
};
process.on("uncaughtException", internalError);

main(argv).then((code) => {
  process.exitCode = code;
}, internalError);
