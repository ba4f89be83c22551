const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a file",
  ENOTREG: "not a regular file (a pipe, socket or device)",
  EBINARY: "not a text file (it holds NUL bytes)",
};

/** Why a file the user named could not be read, in words (every reader reports it the same way). */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : code) ?? "unreadable";
}
