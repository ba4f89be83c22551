import { parse as parseYamlScalar } from "yaml";
import { InputError } from "../common/inputError.js";
import { RESERVED_KEYS } from "../common/yamlInput.js";

/*
 * What a sweep varies: a path into the scenario as written (before validation) and the values it
 * takes. Array entries are addressed by index or by name: a function by its `name`, a workload
 * entry by its `function` (the first entry for that function).
 */

export interface Dimension {
  /** As written, e.g. "functions.api.memoryMb"; CASE_PATH for the named cases. */
  path: string;
  segments: string[];
  values: unknown[];
  /** The named cases only: the fields each case sets, parallel to `values`. */
  caseSettings?: Dimension[][];
}

/** The path the named cases of `sweep.cases` take in the variants' `vary` and in the outputs' columns. */
export const CASE_PATH = "case";

/** A named set of changes a sweep tries together (on-demand, provisioned, SnapStart, ...). */
export interface SweepCase {
  name: string;
  /** Values by path into the scenario as written, as in sweep.vary but one value each. */
  set: Record<string, unknown>;
}

/**
 * The cases as one dimension, tried before (varying slower than) every `vary` path. A case sets
 * several fields at once, so options that exclude each other (SnapStart with provisioned
 * concurrency) can be compared in one sweep, which a cartesian product of fields cannot.
 */
export function casesDimension(cases: readonly SweepCase[], where: string): Dimension {
  const seen = new Set<string>();
  const caseSettings = cases.map((c, i) => {
    if (seen.has(c.name)) throw new InputError([{ path: `${where}[${i}].name`, message: `${JSON.stringify(c.name)} names two cases` }]);
    seen.add(c.name);
    return Object.entries(c.set).map(([path, value]) => {
      const setting = dimension(path, [value], `${where}[${i}].set`);
      if (setting.segments[0] === CASE_PATH) {
        throw new InputError([{ path: `${where}[${i}].set`, message: `${path}: "${CASE_PATH}" is not a field of a scenario` }]);
      }
      return setting;
    });
  });
  return { path: CASE_PATH, segments: [CASE_PATH], values: cases.map((c) => ({ name: c.name, set: c.set })), caseSettings };
}

/** How a dimension's value reads in a label or a table cell: a case by its name. */
export function valueName(dim: { path: string }, value: unknown): unknown {
  return dim.path === CASE_PATH && value !== null && typeof value === "object" ? (value as SweepCase).name : value;
}

export interface Variant {
  /** Position in the sweep: the cartesian product, the last dimension varying fastest. */
  index: number;
  /** The value of each dimension, by its path. */
  vary: Record<string, unknown>;
  /** The scenario object with the values applied. */
  input: Record<string, unknown>;
}

/** Parses "path=v1,v2,..." (values read as YAML scalars: 128, 10m, true, "a,b" in quotes). */
export function parseVary(spec: string): Dimension {
  const at = spec.indexOf("=");
  if (at <= 0) throw new InputError([{ path: "--vary", message: `expected <path>=<v1>,<v2>,..., got ${JSON.stringify(spec)}` }]);
  const path = spec.slice(0, at).trim();
  const list = spec.slice(at + 1);
  let values: unknown;
  try {
    // A command-line list has no use for anchors, and an alias inside its own anchor would be a cycle.
    values = parseYamlScalar(`[${list}]`, { maxAliasCount: 0 });
  } catch {
    throw new InputError([{ path: "--vary", message: `${path}: cannot read the values ${JSON.stringify(list)} (a comma-separated list)` }]);
  }
  return dimension(path, values, "--vary");
}

/** A dimension from a path and its list of values, as in a scenario's `sweep.vary` block. */
export function dimension(path: string, values: unknown, where: string): Dimension {
  const segments = path.split(".");
  if (path === "" || segments.some((s) => s === "")) {
    throw new InputError([{ path: where, message: `expected a dotted path such as functions.api.memoryMb, got ${JSON.stringify(path)}` }]);
  }
  const reserved = segments.find((s) => RESERVED_KEYS.has(s));
  if (reserved !== undefined) {
    throw new InputError([{ path: where, message: `${path}: "${reserved}" is not a field of a scenario (a name reserved in JavaScript)` }]);
  }
  if (segments[0] === "sweep") throw new InputError([{ path: where, message: `a sweep cannot vary its own settings (${path})` }]);
  if (!Array.isArray(values) || values.length === 0) {
    throw new InputError([{ path: where, message: `${path}: expected at least one value` }]);
  }
  const key = values.map(reservedKeyIn).find((k) => k !== undefined);
  if (key !== undefined) {
    throw new InputError([
      { path: where, message: `${path}: a value holds the key "${key}", which is not allowed (a name reserved in JavaScript)` },
    ]);
  }
  return { path, segments, values };
}

/** The first reserved key anywhere inside a value, if any. */
function reservedKeyIn(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) return key;
    const found = reservedKeyIn(inner);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describeEntry(entry: unknown, i: number): string {
  if (entry !== null && typeof entry === "object") {
    const named = entry as Record<string, unknown>;
    if (typeof named.name === "string") return named.name;
    if (typeof named.function === "string") return named.function;
  }
  return String(i);
}

/** Finds the array entry a segment names: an index, or the entry whose name/function matches. */
function entryIndex(list: unknown[], segment: string, path: string): number {
  if (/^\d+$/.test(segment)) {
    const index = Number(segment);
    if (index < list.length) return index;
  } else {
    const index = list.findIndex(
      (e) =>
        e !== null &&
        typeof e === "object" &&
        ((e as Record<string, unknown>).name === segment || (e as Record<string, unknown>).function === segment),
    );
    if (index >= 0) return index;
  }
  const known = list.map(describeEntry).join(", ");
  throw new InputError([{ path, message: `no entry "${segment}" (entries: ${known || "none"}; use an index or a name)` }]);
}

/** Sets `value` at the dimension's path in `root`, creating missing mappings on the way. */
function applyValue(root: Record<string, unknown>, dim: Dimension, value: unknown): void {
  let node: unknown = root;
  const { segments } = dim;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const here = segments.slice(0, i + 1).join(".");
    if (Array.isArray(node)) {
      const index = entryIndex(node, segment, here);
      if (last) node[index] = value;
      else node = node[index];
      continue;
    }
    if (node === null || typeof node !== "object") {
      throw new InputError([
        { path: here, message: `cannot vary inside ${JSON.stringify(node)} (${segments.slice(0, i).join(".")} is not a mapping or list)` },
      ]);
    }
    const map = node as Record<string, unknown>;
    if (last) {
      map[segment] = value;
    } else {
      // Only the scenario's own fields are walked into: "toString" names nothing in it, whatever objects inherit.
      if (!Object.hasOwn(map, segment) || map[segment] === undefined) map[segment] = {};
      node = map[segment];
    }
  }
}

/** Every combination of the dimensions' values applied to a copy of `base`, in sweep order. */
export function expandVariants(base: Record<string, unknown>, dims: readonly Dimension[]): Variant[] {
  const count = dims.reduce((n, d) => n * d.values.length, 1);
  const variants: Variant[] = [];
  for (let index = 0; index < count; index++) {
    const input = structuredClone(base);
    const chosen = new Map<Dimension, number>();
    let rest = index;
    for (let d = dims.length - 1; d >= 0; d--) {
      const dim = dims[d];
      chosen.set(dim, rest % dim.values.length);
      rest = Math.floor(rest / dim.values.length);
    }
    // Applied in the order given, so a later path may refine an earlier one's value (or a case's).
    const ordered: Record<string, unknown> = {};
    for (const dim of dims) {
      const at = chosen.get(dim) ?? 0;
      ordered[dim.path] = valueName(dim, dim.values[at]);
      if (dim.caseSettings) {
        for (const setting of dim.caseSettings[at]) applyValue(input, setting, structuredClone(setting.values[0]));
      } else {
        applyValue(input, dim, structuredClone(dim.values[at]));
      }
    }
    variants.push({ index, vary: ordered, input });
  }
  return variants;
}

/** A short readable name for a variant: "memoryMb=512, provisionedConcurrency=10". */
export function variantLabel(vary: Record<string, unknown>): string {
  const entries = Object.entries(vary);
  if (entries.length === 0) return "base";
  return entries.map(([path, value]) => `${path.split(".").pop()}=${typeof value === "string" ? value : JSON.stringify(value)}`).join(", ");
}
