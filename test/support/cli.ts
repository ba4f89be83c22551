import { main, type CliIo } from "../../src/cli/main.js";

export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process on `argv`, capturing what it prints and its exit code. */
export async function runCli(argv: readonly string[]): Promise<Captured> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (text) => (out += text), err: (text) => (err += text), progress: false };
  const code = await main(argv, io);
  return { code, out, err };
}
