// Bundles the command line into dist/cli/ (part of `npm run build`, after tsc): bin/lambdasim.js
// loads dist/cli/main.js. One file per command's modules, loaded when that command runs, starts
// in about half the time of tsc's hundred-odd files (bench/RESULTS.md, "Start-up"). The sweep's
// worker is bundled beside it, where src/sweep/run.ts looks for it.
import { writeFileSync } from "node:fs";
import { build } from "rolldown";
import { buildPrebuiltTexts } from "../src/cli/main.js";

const OUT = "dist/cli";

await build({
  input: { main: "dist/src/cli/main.js", worker: "dist/src/sweep/worker.js" },
  platform: "node",
  output: { dir: OUT, format: "esm", minify: true, entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
  logLevel: "warn",
});

// The bundle prints these without loading yargs (--help) or the scenario schema (schema).
writeFileSync(`${OUT}/texts.json`, JSON.stringify(await buildPrebuiltTexts()));
