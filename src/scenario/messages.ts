import type { z } from "zod";
import { closest } from "../common/editDistance.js";
import { describeValue, formatPath, type InputProblem } from "../common/inputError.js";

/*
 * Turns zod's validation issues into the one-line problems users read: the field path, what is
 * wrong, and what is allowed. Unions are resolved to the branch the user evidently meant.
 */

type Issue = z.core.$ZodIssue;

export function issuesToProblems(issues: readonly Issue[], base: readonly PropertyKey[]): InputProblem[] {
  return issues.flatMap((issue) => issueToProblems(issue, [...base, ...issue.path]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The branch cannot take a value of this type at all (rather than failing on its content). */
function rejectsType(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) => i.path.length === 0 && (i.code === "invalid_type" || (i.code === "invalid_union" && i.errors.every(rejectsType))),
  );
}

/**
 * A union fails with one list of issues per branch; the user meant one branch, so report that
 * branch's issues: for a mapping, the branch recognising most of its keys; for a plain value, the
 * only branch accepting its type. Undefined when no branch is a clear match.
 */
function chooseUnionBranch(issue: Extract<Issue, { code: "invalid_union" }>): readonly Issue[] | undefined {
  const input = issue.input;
  const candidates = issue.errors.filter((branch) => !rejectsType(branch));
  if (!isPlainObject(input)) return candidates.length === 1 ? candidates[0] : undefined;
  const keyCount = Object.keys(input).length;
  // A word-valued key that one branch takes as written (source: sqs) names the branch meant:
  // branches rejecting that key or its value are not it.
  const rejects = (branch: readonly Issue[], key: string) =>
    branch.some(
      (i) => (i.path.length >= 1 && i.path[0] === key) || (i.path.length === 0 && i.code === "unrecognized_keys" && i.keys.includes(key)),
    );
  const words = Object.keys(input).filter((key) => typeof input[key] === "string");
  const meant = candidates.filter(
    (branch) => !words.some((key) => rejects(branch, key) && candidates.some((other) => other !== branch && !rejects(other, key))),
  );
  return chooseAmong(meant.length > 0 ? meant : candidates, keyCount);
}

function chooseAmong(candidates: readonly (readonly Issue[])[], keyCount: number): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestUnknown = Infinity;
  for (const branch of candidates) {
    const unknown = branch.find((i) => i.path.length === 0 && i.code === "unrecognized_keys");
    const unknownCount = unknown && unknown.code === "unrecognized_keys" ? unknown.keys.length : 0;
    if (keyCount > 0 && unknownCount >= keyCount) continue;
    if (unknownCount < bestUnknown) {
      best = branch;
      bestUnknown = unknownCount;
    }
  }
  return best;
}

/** For a mapping no branch recognises, the branch key closest to what was written. */
function unionKeyHint(issue: Extract<Issue, { code: "invalid_union" }>): string {
  if (!isPlainObject(issue.input)) return "";
  const required = issue.errors.flatMap((branch) =>
    branch.filter((i) => i.path.length === 1 && i.code === "invalid_type" && i.input === undefined).map((i) => String(i.path[0])),
  );
  for (const key of Object.keys(issue.input)) {
    const guess = closest(key, required);
    if (guess && guess !== key) return ` ("${key}": did you mean "${guess}"?)`;
  }
  return "";
}

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

function issueToProblems(issue: Issue, path: readonly PropertyKey[]): InputProblem[] {
  // A message that already quotes the value (with its unit) needs no second "got".
  const got = issue.input === undefined || issue.message.includes(", got ") ? "" : `, got ${describeValue(issue.input)}`;
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  switch (issue.code) {
    case "invalid_union": {
      if (issue.input === undefined) return [{ path: formatPath(path), message: `required (${issue.message})` }];
      const branch = chooseUnionBranch(issue);
      if (branch) return issuesToProblems(branch, path);
      return [{ path: formatPath(path), message: `${issue.message}${got}${unionKeyHint(issue)}` }];
    }
    case "unrecognized_keys": {
      const keyPath = issue.keys.length === 1 ? [...path, issue.keys[0]] : path;
      return [{ path: formatPath(keyPath), message: issue.message }];
    }
    case "invalid_type": {
      if (issue.input === undefined) return [{ path: formatPath(path), message: `required (${describeExpected(issue.expected)})` }];
      return [
        { path: formatPath(path), message: custom ? `${issue.message}${got}` : `expected ${describeExpected(issue.expected)}${got}` },
      ];
    }
    case "too_small":
    case "too_big": {
      if (custom) return [{ path: formatPath(path), message: `${issue.message}${got}` }];
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const relation = issue.code === "too_small" ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
      const what =
        issue.origin === "array"
          ? `must have ${issue.code === "too_small" ? "at least" : "at most"} ${bound} ${bound === 1 ? "entry" : "entries"}`
          : issue.origin === "string"
            ? `must have ${issue.code === "too_small" ? "at least" : "at most"} ${bound} characters`
            : `must be ${relation} ${bound}`;
      return [{ path: formatPath(path), message: `${what}${got}` }];
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(" | ");
      return [{ path: formatPath(path), message: `${custom ? issue.message : `expected ${allowed}`}${got}` }];
    }
    default:
      return [{ path: formatPath(path), message: `${issue.message}${got}` }];
  }
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    int: "a whole number",
    number: "a number",
    string: "a string",
    object: "a mapping of fields",
    array: "a list",
    boolean: "true or false",
  };
  return names[expected] ?? expected;
}
