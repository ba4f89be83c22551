/**
 * Builds a V8 start-up snapshot of the command line, to measure whether one would start faster
 * than the code-cached chunks that bin/lambdasim.js loads (bench/RESULTS.md, "A V8 start-up
 * snapshot"). The whole CLI is bundled into one classic script (a snapshot's builder may require
 * only Node's own modules), which runs `validate` and a small `run` before the snapshot is taken,
 * so that the heap holds the scenario schema, the model's tables and the report code's set-up.
 *
 *   node dist/bench/snapshotBlob.js OUT.blob
 *   bash bench/startup.sh bin/lambdasim.js OUT.blob       # a .blob runs as node --snapshot-blob OUT.blob -- ARGS
 *
 * Node 20 starts from a snapshot only with that command-line flag, so this is a measurement, not a
 * way to ship lambdasim. The bundle captures its file name when it is built: the entry is written
 * under dist/bench/snapshot/, beside a copy of texts.json, so that the CLI finds its package.json
 * and its prebuilt texts as it does in dist/cli.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { CLI_INPUT, CLI_OUTPUT } from "../scripts/cliBundleOptions.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const blob = process.argv[2];
if (blob === undefined || !blob.endsWith(".blob")) {
  process.stderr.write("usage: node dist/bench/snapshotBlob.js OUT.blob\n");
  process.exit(2);
}

// The command line's own bundle options, in one chunk: the dynamic imports of the commands become calls.
const { output } = await build({ ...CLI_INPUT, write: false, output: { ...CLI_OUTPUT, codeSplitting: false } });
const dir = join(root, "dist/bench/snapshot");
mkdirSync(dir, { recursive: true });
copyFileSync(join(root, "dist/cli/texts.json"), join(dir, "texts.json"));

const warmUp = [
  ["validate", join(root, "scenarios/steady-api.yaml")],
  ["run", join(root, "scenarios/steady-api.yaml"), "--out", join(dir, "warm-up-run"), "--quiet"],
];
const entry = join(dir, "entry.js");
writeFileSync(
  entry,
  `"use strict";
const cli = {};
(function (exports, module) {${output[0].code}
})(cli, { exports: cli });
const v8 = require("node:v8");
const { rmSync } = require("node:fs");
(async () => {
  for (const argv of ${JSON.stringify(warmUp)}) {
    const code = await cli.main(argv);
    if (code !== 0) throw new Error("warm-up " + argv[0] + " exited with " + code);
  }
  rmSync(${JSON.stringify(join(dir, "warm-up-run"))}, { recursive: true, force: true });
})();
v8.startupSnapshot.setDeserializeMainFunction(() => {
  const argv = process.argv.slice(1);
  cli.main(argv).then(
    (code) => { process.exitCode = code; },
    (error) => { process.stderr.write(cli.internalErrorText(error, cli.wantsDebug(argv))); process.exit(cli.EXIT_INTERNAL); },
  );
});
`,
);
// Node warns that some modules the CLI requires are not verified in snapshots; the warm-up's output is not wanted either.
execFileSync(process.execPath, ["--snapshot-blob", resolve(blob), "--build-snapshot", entry], { stdio: "ignore" });
process.stdout.write(`${resolve(blob)}\n`);
