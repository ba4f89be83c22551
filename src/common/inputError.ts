/** One problem in user input: where it is (a field path), and what is wrong and allowed there. */
export interface InputProblem {
  path: string;
  message: string;
}

/**
 * Raised for any invalid user input (scenario, trace, template, shard or summary file, command
 * line); the CLI prints each problem on a line and exits 2.
 */
export class InputError extends Error {
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InputError";
    this.problems = problems;
  }
}

export function formatProblem(problem: InputProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** Renders a path as users write it: functions[0].duration.lognormal.p99 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON.stringify writes these as null, which the user did not write.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * What a whole document that is not the mapping it should be is, without its content: a file named
 * as a scenario or a template may be anything (a private key reads as one long string), and its
 * text must not reach the output.
 */
export function describeDocument(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  if (typeof value === "string") return `text (${value.length} characters)`;
  return describeValue(value);
}
