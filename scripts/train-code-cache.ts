// Writes the V8 code cache beside each chunk of the bundled command line (`<chunk>.cache`; see
// bundle-cli.ts, which runs this in a Node process of its own): run the commands whose start-up
// matters once, then keep what V8 compiled for each chunk, the functions those commands ran
// included. V8 checks a cache against its version, its flags and the chunk's source before using it.
// Usage: node dist/scripts/train-code-cache.js <bundle folder>
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Script } from "node:vm";
import type { CliIo } from "../src/cli/main.js";

const [bundleDir] = process.argv.slice(2);
if (bundleDir === undefined) throw new Error("usage: node dist/scripts/train-code-cache.js <bundle folder>");

const { loadBundle } = createRequire(import.meta.url)(resolve("bin/loadBundle.js")) as {
  loadBundle: (dir: string) => { exports: { main: (argv: string[], io: CliIo) => Promise<number> }; scripts: Map<string, Script> };
};
const bundle = loadBundle(resolve(bundleDir));
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
