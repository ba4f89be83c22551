// Writes dist/scenario.schema.json, the scenario JSON Schema the npm package ships, so users can
// point an editor at node_modules/lambdasim/dist/scenario.schema.json without running the CLI.
// Part of `npm run build`: generated from the compiled library each time, it cannot go stale.
import { writeFileSync } from "node:fs";
import { scenarioJsonSchema } from "../src/index.js";

const OUTPUT = "dist/scenario.schema.json";

// The same text as `lambdasim schema` prints.
writeFileSync(OUTPUT, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
