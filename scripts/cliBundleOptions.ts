import { fileURLToPath } from "node:url";
import type { InputOptions, OutputOptions } from "rolldown";

/*
 * How the command line is bundled: by scripts/bundle-cli.ts into dist/cli/, one chunk per command,
 * and by bench/snapshotBlob.ts into one script, so that the snapshot measured is the same code.
 */

/** tsc's output of src/cli/main.ts (this file runs as dist/scripts/cliBundleOptions.js). */
export const CLI_INPUT: InputOptions = {
  input: { main: fileURLToPath(new URL("../src/cli/main.js", import.meta.url)) },
  platform: "node",
  // yargs reads import.meta only to resolve `extends` in a config file, which lambdasim never passes it.
  transform: { define: { "import.meta.resolve": "undefined" } },
  logLevel: "warn",
};

/**
 * CommonJS, because only a classic script can be compiled with a code cache (vm.Script) without
 * experimental flags, and ASCII only, so that V8 holds each chunk as a one-byte string.
 */
export const CLI_OUTPUT: OutputOptions = { format: "cjs", minify: true, charset: "ascii" };
