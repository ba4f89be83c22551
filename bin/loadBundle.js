"use strict";
/*
 * Loads the bundled command line in dist/cli (scripts/bundle-cli.ts writes it at `npm run build`).
 * Each chunk there is a CommonJS module wrapped as a function expression, compiled here through
 * vm.Script with the V8 code cache that the build wrote beside it (<chunk>.cache): V8 then reads
 * the compiled code instead of parsing and compiling it again, which is most of what a short
 * command costs above an empty Node (bench/RESULTS.md, "Start-up"). A cache that is missing, or
 * that V8 rejects because its version or flags differ from the build's, is ignored: V8 compiles
 * the chunk as usual. Nothing is written at run time.
 */
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

/**
 * Loads `main.js` of the bundle in `dir` and the chunks it requires, each once; returns its exports
 * and, by file, every chunk's vm.Script (the build asks these for the code cache after a training run).
 */
function loadBundle(dir) {
  const modules = new Map();
  const scripts = new Map();
  const requireChunk = (id) => (id.startsWith("./") ? load(join(dir, id)) : require(id));
  function load(file) {
    const loaded = modules.get(file);
    if (loaded !== undefined) return loaded.exports;
    const module = { exports: {} };
    modules.set(file, module);
    let cachedData;
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // No cache (a build that could not write one): compile from the source alone.
    }
    const script = new Script(readFileSync(file, "utf8"), { filename: file, cachedData });
    scripts.set(file, script);
    script.runInThisContext()(module.exports, requireChunk, module, file, dir);
    return module.exports;
  }
  return { exports: load(join(dir, "main.js")), scripts };
}

module.exports = { loadBundle };
