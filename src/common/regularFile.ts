import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

/*
 * Every file the user names (scenario, trace, template, summary) is opened here. Only a regular
 * file is read: a FIFO would block the run forever, a device such as /dev/zero never ends, and a
 * folder is a mistake. Opening without blocking, then asking the open descriptor what it is,
 * leaves no moment in which the path could be swapped for something else.
 */

function refusal(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** An open regular file and its size when opened; throws an error with a `code` whyUnreadable words. */
export function openRegularFile(path: string): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw stat.isDirectory() ? refusal("a directory", "EISDIR") : refusal("not a regular file", "ENOTREG");
  }
  return { fd, size: stat.size };
}

/** The whole text of a regular file; one holding a NUL byte is not text (say, /proc/self/environ) and is refused. */
export function readRegularTextFile(path: string): string {
  const { fd } = openRegularFile(path);
  let text: string;
  try {
    text = readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
  if (text.includes("\u0000")) throw refusal("not text", "EBINARY");
  return text;
}
