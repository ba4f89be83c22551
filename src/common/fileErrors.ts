/** Why a file the user named could not be read, in words (every reader reports it the same way). */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (code ?? "unreadable");
}
