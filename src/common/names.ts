/**
 * Names taken from inputs (a scenario's name, the file name it defaults to, a shard's sweep name)
 * become folder names under reports/; "." and ".." would put the report into reports/ itself or
 * above it, and any other character could leave the folder the user named.
 */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export const NAME_RULE = "1-100 letters, digits, dots, hyphens or underscores, and not . or ..";

export function isFolderName(name: unknown): name is string {
  return typeof name === "string" && NAME.test(name) && name !== "." && name !== "..";
}

/** A Lambda function name as a scenario accepts it; calibrate also names its trace files after it. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function isFunctionName(name: unknown): name is string {
  return typeof name === "string" && FUNCTION_NAME.test(name);
}
