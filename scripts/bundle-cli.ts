// Bundles the command line into dist/cli/ (part of `npm run build`, after tsc); bin/lambdasim.js
// loads it through bin/loadBundle.js. One chunk per command's modules, loaded when that command
// runs, starts in about half the time of tsc's hundred-odd files, and a V8 code cache per chunk
// (written after a training run of the commands, see below) saves most of the compiling that remains
// (bench/RESULTS.md, "Start-up"). The sweep's worker is bundled beside it, where src/sweep/run.ts
// looks for it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { buildPrebuiltTexts } from "../src/cli/main.js";
import { CLI_INPUT, CLI_OUTPUT } from "./cliBundleOptions.js";

const OUT = "dist/cli";

// Each chunk becomes a function expression of the usual CommonJS arguments, which bin/loadBundle.js calls.
const { output } = await build({
  ...CLI_INPUT,
  write: false,
  output: { ...CLI_OUTPUT, entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
});
mkdirSync(OUT, { recursive: true });
for (const chunk of output) {
  if (chunk.type !== "chunk") throw new Error(`unexpected asset ${chunk.fileName} in the CLI bundle`);
  writeFileSync(join(OUT, chunk.fileName), `(function (exports, require, module, __filename, __dirname) {"use strict";${chunk.code}\n})`);
}

// The worker runs in threads of its own: one ES module, apart from the command line's chunks.
await build({
  input: { worker: "dist/src/sweep/worker.js" },
  platform: "node",
  output: { dir: OUT, format: "esm", minify: true, entryFileNames: "[name].js", codeSplitting: false },
  logLevel: "warn",
});

// The bundle prints these without loading yargs (--help) or the scenario schema (schema).
writeFileSync(`${OUT}/texts.json`, JSON.stringify(await buildPrebuiltTexts()));

/*
 * The code cache, written by a Node process of its own (scripts/train-code-cache.ts). Trained in
 * this process, after the bundling, it lacked functions the commands run (~10 KB of the scenario
 * chunk's compiled code, which every run then compiled again: 2–3 % of validate's and a small run's
 * instructions).
 */
execFileSync(process.execPath, [fileURLToPath(new URL("./train-code-cache.js", import.meta.url)), OUT], { stdio: "inherit" });
