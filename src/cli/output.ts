import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify";

export interface PendingFile {
  name: string;
  /** Whole content, or rows streamed as CSV (time series can be long). */
  content: string | { header: readonly string[]; rows: Iterable<(string | number)[]> };
}

/**
 * Writes every file under a temporary name first and renames them only when all are complete,
 * so an interrupted or failed run never leaves a partial report behind.
 */
export async function writeReportFiles(dir: string, files: readonly PendingFile[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}`;
  const written: string[] = [];
  try {
    for (const file of files) {
      const temp = join(dir, `${file.name}${suffix}`);
      written.push(temp);
      if (typeof file.content === "string") writeFileSync(temp, file.content);
      else await streamCsv(temp, file.content.header, file.content.rows);
    }
    files.forEach((file, i) => renameSync(written[i], join(dir, file.name)));
    return files.map((file) => join(dir, file.name));
  } catch (error) {
    for (const temp of written) rmSync(temp, { force: true });
    throw error;
  }
}

async function streamCsv(path: string, header: readonly string[], rows: Iterable<(string | number)[]>): Promise<void> {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...header] });
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
    csv.on("error", reject);
  });
  csv.pipe(out);
  for (const row of rows) {
    if (!csv.write(row)) await new Promise((resolve) => csv.once("drain", resolve));
  }
  csv.end();
  await done;
}
