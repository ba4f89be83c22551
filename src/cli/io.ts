import { readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/inputError.js";
import { whyUnreadable } from "../common/fileErrors.js";
import { readRegularTextFile } from "../common/regularFile.js";

export const EXIT_OK = 0;
/** `compare`: a metric regressed beyond its threshold. */
export const EXIT_REGRESSION = 1;
/** Bad input (scenario, trace, command line) or environment (a missing file, an unwritable folder). */
export const EXIT_BAD_INPUT = 2;
/** A bug in lambdasim: distinct from 1 so that CI can tell a crash from a regression. */
export const EXIT_INTERNAL = 3;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether to draw a progress bar (stderr is a terminal). */
  progress: boolean;
}

/** A mistake on the command line (exit 2). */
export class UsageError extends Error {}

/**
 * The version in package.json, found by walking up from this module: it sits at
 * src/cli/ when tests import the sources and at dist/src/cli/ when the binary runs.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "lambdasim" && typeof manifest.version === "string") return manifest.version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json of lambdasim not found above the CLI module");
    dir = parent;
  }
}

/** File-system failures that the user's machine causes and the user can fix, in words. */
const ENVIRONMENT_REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder, not a file",
  ENOENT: "no such file or folder",
  EEXIST: "a file of that name already exists",
  EBADF: "not open for writing",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
};

/**
 * One line for a file-system error that reached the CLI (every read of a named input is already
 * an InputError, so what arrives here comes from writing outputs); undefined for anything else,
 * which is a bug.
 */
export function environmentProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
  const reason = code === undefined ? undefined : ENVIRONMENT_REASONS[code];
  if (reason === undefined || syscall === undefined) return undefined;
  const what = syscall === "mkdir" ? "cannot create the folder" : "cannot write";
  const where = dest ?? path;
  return where === undefined ? `${what}: ${reason}` : `${where}: ${what}: ${reason}`;
}

/**
 * Writes text to standard output (1) or error (2) with write(2), as Node itself writes them to a
 * file, a terminal or, on Linux, a pipe, but without building process.stdout or process.stderr:
 * their stream modules cost a short command a twentieth of its start-up (bench/RESULTS.md,
 * "Start-up"). A descriptor that would block (a non-blocking pipe, left so by the parent) gets
 * that write and every later one through Node's stream, which waits until it can write. Any other
 * system error goes to `failed`.
 */
export function standardWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream, failed: (error: unknown) => void): (text: string) => void {
  let queue: NodeJS.WriteStream | undefined;
  return (text) => {
    if (queue !== undefined) {
      queue.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Only a system error is the environment's; anything else is a bug and goes up as one.
      if (typeof code !== "string") throw error;
      if (code !== "EAGAIN") {
        failed(error);
        return;
      }
      queue = stream();
      queue.on("error", failed);
      queue.write(bytes.subarray(written));
    }
  };
}

/** One line for a failed write to standard output, which only the user's environment can cause. */
export function standardOutputProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? String(error) : (ENVIRONMENT_REASONS[code] ?? code);
  return `cannot write to standard output: ${reason}`;
}

const REPORT_AT = "the lambdasim issue tracker";

/** What the CLI prints for a bug: one line, plus the stack only when asked for. */
export function internalErrorText(error: unknown, debug: boolean): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
  const line = `internal error: ${message} — this is a bug in lambdasim; please report it at ${REPORT_AT}`;
  if (!debug) return `${line} (rerun with --debug for the stack)\n`;
  return `${line}\n${error instanceof Error && error.stack !== undefined ? error.stack : String(error)}\n`;
}

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

/** The periods `run --period` offers, in seconds by name: round divisions of a minute. */
const PERIODS: Record<string, number> = { "1s": 1, "10s": 10, "30s": 30, "60s": 60 };

/** Seconds per time-series row from `--period`'s text. */
export function periodOption(text: unknown): number {
  const seconds = typeof text === "string" && Object.hasOwn(PERIODS, text) ? PERIODS[text] : undefined;
  if (seconds === undefined) {
    throw new UsageError(`--period: expected one of ${Object.keys(PERIODS).join(", ")}, got ${JSON.stringify(String(text))}`);
  }
  return seconds;
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
