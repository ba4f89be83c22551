import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Code cites the Lambda rules, results and prices it follows as docs/<file>.md#<anchor>. Every such
 * reference must resolve to a heading in the repository, and none may point at notes outside it.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CODE_FOLDERS = ["src", "test", "bench", "scripts", "validation"];
// This file names the outside notes in order to forbid them.
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

function codeFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : codeFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

const anchorsOf = new Map<string, Set<string>>();
function anchors(doc: string): Set<string> | undefined {
  if (!anchorsOf.has(doc)) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, doc), "utf8");
    } catch {
      return undefined;
    }
    anchorsOf.set(doc, new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]))));
  }
  return anchorsOf.get(doc);
}

const files = CODE_FOLDERS.flatMap((folder) => codeFiles(join(ROOT, folder))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

describe("references from code to docs/", () => {
  it("every docs/<file>.md#<anchor> names an existing heading", () => {
    const broken: string[] = [];
    let count = 0;
    for (const { path, text } of files) {
      for (const match of text.matchAll(/docs\/([\w-]+\.md)#([\w-]+)/g)) {
        count++;
        const headings = anchors(`docs/${match[1]}`);
        if (!headings?.has(match[2])) broken.push(`${path}: ${match[0]}`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(10);
  });

  it("no code cites the team notes that live outside the repository", () => {
    const outside = files
      .filter(({ path }) => path !== SELF)
      .flatMap(({ path, text }) => [...text.matchAll(/lambda-facts|validation-math/g)].map(() => path));
    expect(outside).toEqual([]);
  });
});
