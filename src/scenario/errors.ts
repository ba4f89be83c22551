/** One problem in a scenario: where it is, and what is wrong and allowed there. */
export interface ScenarioProblem {
  path: string;
  message: string;
}

/** Raised for any invalid user input; the CLI prints each problem on a line and exits 2. */
export class ScenarioError extends Error {
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ScenarioError";
    this.problems = problems;
  }
}

export function formatProblem(problem: ScenarioProblem): string {
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
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
