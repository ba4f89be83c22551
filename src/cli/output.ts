import {
  accessSync,
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../common/inputError.js";
import { isFolderName, NAME_RULE } from "../common/names.js";
import { csvLine, textChunks } from "../report/format.js";

export interface PendingFile {
  name: string;
  /** Whole content, rows streamed as CSV, or text or its bytes streamed in pieces (time series can be long). */
  content: string | { header: readonly string[]; rows: Iterable<(string | number)[]> } | { chunks: Iterable<string | Uint8Array> };
}

/** Linux limits: a file name of 255 bytes (NAME_MAX), a path of 4095 (PATH_MAX less the NUL). */
const NAME_MAX = 255;
const PATH_MAX = 4095;
/** Kernel views, not storage: writing there fails, discards, or (under /proc) never returns. */
const SYSTEM_FOLDERS = ["/proc", "/sys", "/dev"];
/** How long to wait for another lambdasim writing the same folder before giving up. */
const LOCK_WAIT_MS = 30_000;

const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENAMETOOLONG: `the path is too long (names up to ${NAME_MAX} bytes, paths up to ${PATH_MAX})`,
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "already exists",
  EISDIR: "is a folder, not a file",
  EIO: "input/output error",
};

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && ERRNO_WORDS[code]) ?? code ?? String(error);
}

function isErrno(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === "string";
}

/**
 * The folder to write the report of scenario or sweep `name` into when no --out is given. A name
 * that cannot name a folder can only come from the file name (the schema refuses it in name:).
 */
export function defaultReportFolder(name: string, file: string | undefined, suffix = ""): string {
  if (!isFolderName(name)) {
    throw new InputError([
      {
        path: file ?? "name",
        message: `the scenario is named ${JSON.stringify(name)} after its file, which cannot name a report folder (${NAME_RULE}); set name: in the file or give --out`,
      },
    ]);
  }
  return join("reports", `${name}${suffix}`);
}

/**
 * Checks, before anything is simulated, that the output folder can be written: `out` is --out as
 * parsed (an array when given twice), `fallback` the default folder. Returns the folder.
 */
export function checkOutputFolder(out: unknown, fallback: () => string): string {
  if (Array.isArray(out)) {
    throw new InputError([
      { path: "--out", message: `given ${out.length} times (${out.map((o) => JSON.stringify(o)).join(", ")}); give one output folder` },
    ]);
  }
  if (out === "") throw new InputError([{ path: "--out", message: "is empty; name an output folder" }]);
  const dir = typeof out === "string" ? out : fallback();
  const label = out === undefined ? dir : "--out";
  const refuse = (message: string): never => {
    throw new InputError([{ path: label, message: label === dir ? message : `${JSON.stringify(dir)} ${message}` }]);
  };
  const target = resolve(dir);
  if (target.length > PATH_MAX || target.split(sep).some((part) => Buffer.byteLength(part) > NAME_MAX))
    refuse(`cannot be written: ${why({ code: "ENAMETOOLONG" })}`);
  let existing = target;
  let stat: Stats | undefined;
  while (stat === undefined) {
    try {
      stat = statSync(existing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") refuse(`cannot be written: ${why(error)}`);
      existing = dirname(existing);
    }
  }
  const real = realpathSync(existing);
  const system = SYSTEM_FOLDERS.find((folder) => real === folder || real.startsWith(`${folder}/`));
  if (system !== undefined) refuse(`is under ${system}, which holds no files; name a folder for the reports`);
  if (!stat.isDirectory()) {
    refuse(existing === target ? "exists and is not a folder" : `cannot be created: ${existing} is a file, not a folder`);
  }
  const fromCwd = relative(join(real, relative(existing, target)), realpathSync(process.cwd()));
  if (fromCwd === "" || (!fromCwd.startsWith("..") && !isAbsolute(fromCwd))) {
    refuse("is the current folder or holds it; name a folder for the reports");
  }
  if (existing === target) {
    if (statSync(target).dev !== statSync(dirname(target)).dev) refuse("is a mount point; name a folder inside it");
    const folders = readdirSync(target, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    if (folders.length > 0) {
      refuse(
        `holds folders (${folders
          .map((f) => f.name)
          .slice(0, 3)
          .join(", ")}); name a new folder or one holding only files`,
      );
    }
  }
  try {
    // The report is assembled beside the folder and renamed into place, so its parent must be writable.
    accessSync(existing === target ? dirname(target) : existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    refuse(`cannot be written: ${why(error)}`);
  }
  return dir;
}

/**
 * Writes a report set so that a reader sees the old complete set or the new complete set, never a
 * mix, and an interrupted or failed run leaves nothing behind:
 *   1. every file goes into a fresh folder beside the target, .<name>.tmp-<pid>-<random>;
 *   2. under a lock file beside the target (.<name>.lock, holding the writer's pid), files in the
 *      target that are not part of the new set (e.g. shard files in a sweep folder) are hard-linked
 *      into the new folder, the target is renamed aside, the new folder renamed in, the old removed.
 *      Without a target, the new folder is simply renamed in.
 * Step 2 is synchronous, so a signal cannot stop it halfway (Node runs signal handlers between
 * events); the only moment without a folder is between two renames. Two runs sharing a folder each
 * write their own temporary folder; the lock makes the last one's complete set the result.
 */
export async function writeReportFiles(dir: string, files: readonly PendingFile[]): Promise<string[]> {
  const target = resolve(dir);
  return writeGuarded(dir, async (track) => {
    makeFolder(dirname(target));
    const temp = track(siblingName(target, "tmp"));
    mkdirSync(temp);
    for (const file of files) await writeFile(join(temp, file.name), file.content);
    withLock(target, () => {
      const names = new Set(files.map((file) => file.name));
      let old: string | undefined;
      try {
        for (const entry of readdirSync(target)) if (!names.has(entry)) linkSync(join(target, entry), join(temp, entry));
        old = siblingName(target, "old");
        renameSync(target, old);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      try {
        renameSync(temp, target);
      } catch (error) {
        if (old !== undefined) renameSync(old, target);
        throw error;
      }
      if (old !== undefined) rmSync(old, { recursive: true, force: true });
    });
    return files.map((file) => join(dir, file.name));
  });
}

/** Adds or replaces one file in folder `dir` (a sweep shard), leaving its other files alone. */
export async function writeOneFile(dir: string, file: PendingFile): Promise<string> {
  const target = resolve(dir);
  return writeGuarded(dir, async (track) => {
    makeFolder(target);
    const temp = track(join(target, `.${file.name}.tmp-${uniqueSuffix()}`));
    await writeFile(temp, file.content);
    withLock(target, () => renameSync(temp, join(target, file.name)));
    return join(dir, file.name);
  });
}

/** Writes `content` to `file`, refusing (also against a concurrent writer) to replace an existing file. */
export async function createFile(file: string, content: string): Promise<void> {
  await writeGuarded(file, async (track) => {
    makeFolder(dirname(file));
    const temp = track(siblingName(resolve(file), "tmp"));
    writeFileSync(temp, content, { flag: "wx" });
    // A hard link, unlike a rename, fails when the name is taken: the check and the write are one step.
    linkSync(temp, file);
  });
}

/**
 * Runs `write`, which registers its temporary paths with `track`; on failure, SIGINT or SIGTERM
 * they are removed (with the conventional exit code 130 or 143 on a signal), and errors of the
 * file system become one line naming the folder.
 */
async function writeGuarded<T>(dir: string, write: (track: (path: string) => string) => Promise<T>): Promise<T> {
  const temps: string[] = [];
  const cleanUp = () => {
    for (const temp of temps) rmSync(temp, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await write((path) => {
      temps.push(path);
      return path;
    });
  } catch (error) {
    if (error instanceof InputError || !isErrno(error)) throw error;
    throw new InputError([{ path: dir, message: `cannot write: ${why(error)}` }]);
  } finally {
    cleanUp();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** mkdir -p, except that a file in the way is reported as such rather than as "already exists". */
function makeFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw Object.assign(new Error(`not a folder: ${path}`), { code: "ENOTDIR" });
    throw error;
  }
}

function siblingName(target: string, kind: string): string {
  return join(dirname(target), `.${basename(target)}.${kind}-${uniqueSuffix()}`);
}

let temporaryNames = 0;

/**
 * Temporary names differ between running processes by the pid, within one by a count, and from a
 * leftover of a killed process that had the same pid by the time since boot in nanoseconds. Not
 * random bytes: Node's crypto module would cost a short run a twentieth of its start-up.
 */
function uniqueSuffix(): string {
  return `${process.pid}-${(temporaryNames++).toString(36)}-${process.hrtime.bigint().toString(36)}`;
}

function withLock(target: string, critical: () => void): void {
  const lock = join(dirname(target), `.${basename(target)}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = lockHolder(lock);
    if (holder !== undefined && !isRunning(holder)) {
      // Left by a process killed outright (SIGKILL): nothing else removes it.
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError([
        {
          path: target,
          message: `another lambdasim (pid ${holder}) has been writing here for ${LOCK_WAIT_MS / 1000} s; if none runs, remove ${lock}`,
        },
      ]);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  try {
    critical();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The pid in a lock file; undefined while its writer has created it but not yet written the pid. */
function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, "utf8"));
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function writeFile(path: string, content: PendingFile["content"]): Promise<void> {
  if (typeof content === "string") writeFileSync(path, content);
  else if ("chunks" in content) await writeChunks(path, content.chunks);
  else await writeChunks(path, textChunks(csvLines(content.header, content.rows)));
}

/** CSV lines: the header, then every row. */
function* csvLines(header: readonly string[], rows: Iterable<(string | number)[]>): Generator<string> {
  yield csvLine(header);
  for (const row of rows) yield csvLine(row);
}

/** How much writeChunks writes between two turns of the event loop (see there). */
const BYTES_BETWEEN_TURNS = 1 << 22;

/**
 * Writes text piece by piece, synchronously: a thread-pool round trip per piece costs more than the
 * write. Every few megabytes it gives the event loop a turn, so that a signal arriving while a long
 * file is written is handled (and the temporary files removed) soon.
 */
async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const fd = openSync(path, "w");
  try {
    let sinceTurn = 0;
    for (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      // writeSync may write less than asked (a full disk writes what fits, then fails).
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      sinceTurn += bytes.length;
      if (sinceTurn >= BYTES_BETWEEN_TURNS) {
        sinceTurn = 0;
        await new Promise((turn) => setImmediate(turn));
      }
    }
  } finally {
    closeSync(fd);
  }
}
