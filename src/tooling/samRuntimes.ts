import { KNOWN_RUNTIMES } from "../model/runtimes.js";
import { functionSchema } from "../scenario/schema.js";
import type { JsonObject } from "./cloudFormation.js";
import type { TemplateReader } from "./samTemplateReader.js";

/*
 * The runtime a converted function simulates. It selects the measured cold-start times, so a
 * runtime without measurements (retired, unknown, or custom) becomes the nearest one that has them.
 */

/** The scenario's default runtime, for functions whose runtime the template does not fix. */
const DEFAULT_RUNTIME: string = functionSchema.shape.runtime.parse(undefined);

/** Custom-runtime build methods (SAM Metadata.BuildMethod) whose language has its own init figures. */
const BUILD_METHOD_LANGUAGES: Record<string, string> = { "go1.x": "go", "rust-cargolambda": "rust" };

/** Retired runtimes whose successor is not the nearest version of the same name. */
const RENAMED_RUNTIMES: Record<string, string> = { "go1.x": "provided.al2023/go", provided: "provided.al2", java8: "java8.al2" };

export function functionRuntime(
  reader: TemplateReader,
  props: JsonObject,
  at: string,
  image: boolean,
  metadata: JsonObject,
): { value: string; note?: string } {
  const fallback = DEFAULT_RUNTIME;
  const written = reader.readString(props, "Runtime", at, `${fallback} assumed`);
  if (written === undefined) {
    if (image) {
      reader.warn(at, `a container image does not declare its language; ${fallback} assumed for the init time`);
      return { value: fallback, note: "placeholder: the image's language (it selects the measured cold-start time)" };
    }
    if (!("Runtime" in props)) reader.warn(`${at}.Runtime`, `not set; ${fallback} assumed`);
    return { value: fallback, note: "placeholder: the template does not fix the runtime" };
  }
  if (written.startsWith("provided")) {
    const language = BUILD_METHOD_LANGUAGES[String(metadata.BuildMethod)];
    const base = written === "provided" ? "provided.al2" : written;
    if (language && KNOWN_RUNTIMES.includes(`${base}/${language}`)) {
      return { value: `${base}/${language}`, note: `built with ${String(metadata.BuildMethod)} (Metadata.BuildMethod)` };
    }
  }
  if (KNOWN_RUNTIMES.includes(written)) return { value: written };
  const successor = RENAMED_RUNTIMES[written] ?? nearestVersion(written);
  if (successor) {
    reader.warn(`${at}.Runtime`, `${written} has no init measurements (retired or unknown); ${successor}'s are used`);
    return { value: successor, note: `the template says ${written}` };
  }
  reader.warn(`${at}.Runtime`, `unknown runtime ${JSON.stringify(written)}; ${fallback} assumed`);
  return { value: fallback, note: `placeholder: the template says ${written}` };
}

/** The known runtime of the same language nearest in version (retired runtimes map to their successor). */
function nearestVersion(runtime: string): string | undefined {
  const family = /^[a-z]+/.exec(runtime)?.[0];
  const version = versionNumber(runtime);
  if (!family || version === undefined) return undefined;
  let best: { runtime: string; version: number } | undefined;
  for (const candidate of KNOWN_RUNTIMES) {
    const candidateVersion = versionNumber(candidate);
    if (/^[a-z]+/.exec(candidate)?.[0] !== family || candidate.includes("/") || candidateVersion === undefined) continue;
    const distance = Math.abs(candidateVersion - version);
    const bestDistance = best ? Math.abs(best.version - version) : Infinity;
    // On a tie the newer one: retired runtimes move forward.
    if (distance < bestDistance || (distance === bestDistance && best && candidateVersion > best.version))
      best = { runtime: candidate, version: candidateVersion };
  }
  return best?.runtime;
}

/** python3.12 is 3.12, nodejs18.x is 18: major plus minor / 100. */
function versionNumber(runtime: string): number | undefined {
  const match = /(\d+)(?:\.(\d+))?/.exec(runtime);
  return match ? Number(match[1]) + Number(match[2] ?? 0) / 100 : undefined;
}
