import { basename, extname } from "node:path";
import { Document, isMap, isNode, isScalar, type Node } from "yaml";
import type { JsonObject } from "./cloudFormation.js";
import { formatSeconds } from "./formatSeconds.js";
import { PLACEHOLDER_SPAN_SECONDS, type ConversionDraft } from "./samDraft.js";
import { SAM_SOURCES } from "./samSources/index.js";

/*
 * The converted scenario as YAML for people to finish: the conversion notes on top, where each
 * function and entry comes from above it, and every placeholder marked beside its value.
 */

export function renderScenario(draft: ConversionDraft, fileName: string, account: JsonObject | undefined, warnings: string[]): string {
  const source = basename(fileName);
  const name =
    basename(fileName, extname(fileName))
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .slice(0, 100) || "sam-template";
  const described = typeof draft.template.Description === "string" ? ` ${draft.template.Description.trim().replace(/\s+/g, " ")}` : "";
  const span = Math.max(PLACEHOLDER_SPAN_SECONDS, draft.longestScheduleInterval);
  const ordered = draft.workload
    .map((w, i) => ({ w, i }))
    .sort((a, b) => a.w.functionIndex - b.w.functionIndex || a.i - b.i)
    .map(({ w }) => w);
  const scenario: JsonObject = {
    name,
    description: `Converted from ${source} by lambdasim from-sam.${described}`,
    duration: formatSeconds(span),
    ...(account ? { account } : {}),
    functions: draft.functions.map((fn) => fn.fields),
    workload: ordered.map((w) => SAM_SOURCES[w.kind].finish(w.entry, draft.functions[w.functionIndex])),
  };
  const doc = new Document(scenario);
  doc.commentBefore = [
    ` Scenario skeleton converted from ${source} by lambdasim from-sam.`,
    " Function settings, mappings and queues come from the template; handler times and traffic do not:",
    ' every value marked "placeholder" needs your figures before the results mean anything.',
    ...(warnings.length > 0 ? [" Conversion notes:", ...warnings.map((w) => `   - ${w}`)] : []),
  ].join("\n");
  setComment(
    doc.getIn(["duration"], true),
    span > PLACEHOLDER_SPAN_SECONDS ? "placeholder: long enough for every schedule to fire" : "placeholder: how long to simulate",
  );
  if (account) setComment(doc.getIn(["account"], true), "raised so that the template's reservations fit; use your account's limit");
  draft.functions.forEach((fn, i) => {
    const item = doc.getIn(["functions", i], true) as Node;
    item.commentBefore = ` ${fn.logicalId} (${fn.type})`;
    if (i > 0) item.spaceBefore = true;
    for (const [field, note] of Object.entries(fn.notes)) setComment(doc.getIn(["functions", i, field], true), note);
  });
  ordered.forEach((w, i) => {
    const item = doc.getIn(["workload", i], true) as Node;
    item.commentBefore = ` ${draft.functions[w.functionIndex].name}: ${w.origin}`;
    if (i > 0) item.spaceBefore = true;
    for (const field of ["arrivals", "messages", "records", "async"]) {
      const node = doc.getIn(["workload", i, field], true);
      if (isMap(node)) node.flow = true;
    }
    for (const [field, note] of Object.entries(w.notes)) setComment(doc.getIn(["workload", i, field], true), note);
  });
  for (const key of ["functions", "workload"]) {
    const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  return doc.toString({ lineWidth: 0 });
}

function setComment(node: unknown, text: string): void {
  if (isNode(node)) node.comment = ` ${text}`;
}
