// Bundles the command line into dist/cli/ (part of `npm run build`, after tsc); bin/lambdasim.js
// loads it through bin/loadBundle.js. One chunk per command's modules, loaded when that command
// runs, starts in about half the time of tsc's hundred-odd files, and a V8 code cache per chunk
// (written here after a training run of the commands) saves most of the compiling that remains
// (bench/RESULTS.md, "Start-up"). The sweep's worker is bundled beside it, where src/sweep/run.ts
// looks for it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Script } from "node:vm";
import { build } from "rolldown";
import { buildPrebuiltTexts, type CliIo } from "../src/cli/main.js";

const OUT = "dist/cli";

/*
 * CommonJS, because only a classic script can be compiled with a code cache (vm.Script) without
 * experimental flags, and ASCII only, so that V8 holds each chunk as a one-byte string. Each chunk
 * becomes a function expression of the usual CommonJS arguments, which bin/loadBundle.js calls.
 */
const { output } = await build({
  input: { main: "dist/src/cli/main.js" },
  platform: "node",
  write: false,
  output: { format: "cjs", minify: true, charset: "ascii", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
  // yargs reads import.meta only to resolve `extends` in a config file, which lambdasim never passes it.
  transform: { define: { "import.meta.resolve": "undefined" } },
  logLevel: "warn",
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
 * The code cache: run the commands whose start-up matters once, in this process, then keep what V8
 * compiled for each chunk, the functions those commands ran included. V8 checks a cache against
 * its version, its flags and the chunk's source before using it.
 */
const { loadBundle } = createRequire(import.meta.url)(resolve("bin/loadBundle.js")) as {
  loadBundle: (dir: string) => { exports: { main: (argv: string[], io: CliIo) => Promise<number> }; scripts: Map<string, Script> };
};
const bundle = loadBundle(resolve(OUT));
const work = mkdtempSync(join(tmpdir(), "lambdasim-build-"));
try {
  const scenario = join(work, "small.yaml");
  writeFileSync(
    scenario,
    [
      "name: small",
      "duration: 10m",
      "functions:",
      "  - { name: f, memoryMb: 256, duration: { lognormal: { median: 40ms, p99: 300ms } } }",
      "workload:",
      "  - { function: f, arrivals: { poisson: { rate: 2 } } }",
      "",
    ].join("\n"),
  );
  const silent: CliIo = { out: () => {}, err: () => {}, progress: false };
  for (const argv of [["--help"], ["validate", scenario], ["run", scenario, "--out", join(work, "out"), "--quiet"]]) {
    const code = await bundle.exports.main(argv, silent);
    if (code !== 0) throw new Error(`lambdasim ${argv.join(" ")} exited with ${code} while training the code cache`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const [file, script] of bundle.scripts) writeFileSync(`${file}.cache`, script.createCachedData());
