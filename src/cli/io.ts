import { InputError } from "../common/inputError.js";
import { whyUnreadable } from "../common/fileErrors.js";
import { readRegularTextFile } from "../common/regularFile.js";

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
/** `compare`: a metric regressed beyond its threshold. */
export const EXIT_REGRESSION = 1;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether to draw a progress bar (stderr is a terminal). */
  progress: boolean;
}

/** A mistake on the command line (exit 2). */
export class UsageError extends Error {}

/** Reads a file named on the command line; one that cannot be read is bad input. */
export function readTextFile(path: string): string {
  try {
    return readRegularTextFile(path);
  } catch (error) {
    throw new InputError([{ path, message: `cannot read: ${whyUnreadable(error)}` }]);
  }
}

/** Reads a JSON file written by lambdasim; an unreadable or malformed file is bad input. */
export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the mistake; the position alone says where without echoing the file.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new InputError([{ path, message: `not valid JSON${at === undefined ? "" : ` (at character ${at})`}` }]);
  }
}

export function wholeNumber(option: string, text: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(String(text)) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `>= ${min}`;
    throw new UsageError(`${option}: expected a whole number ${range}, got ${String(text)}`);
  }
  return value;
}

export function progressBar(io: CliIo): ((fraction: number) => void) | undefined {
  if (!io.progress) return undefined;
  let last = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === last) return;
    last = percent;
    const filled = Math.round(fraction * 30);
    io.err(`\r[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${String(percent).padStart(3)} %`);
    if (percent === 100) io.err("\r\x1b[K");
  };
}
