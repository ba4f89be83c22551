import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/**
 * Reads a text file line by line with a fixed-size buffer, synchronously, because the event loop
 * of a simulation pulls the next arrival at the moment it needs it. Memory stays constant
 * whatever the file size, so a two-week trace replays like a twenty-minute one.
 */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.alloc(1 << 16);
  // Decodes across chunk boundaries, so a multi-byte character split by a read stays whole.
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";
  private lines: string[] = [];
  private index = 0;
  private eof = false;
  /** 1-based number of the line last returned, for error messages. */
  lineNumber = 0;

  constructor(path: string) {
    this.fd = openSync(path, "r");
  }

  /** The next line without its terminator, or undefined at the end (the file is then closed). */
  next(): string | undefined {
    while (this.index >= this.lines.length) {
      if (this.eof) return undefined;
      this.fill();
    }
    this.lineNumber++;
    return this.lines[this.index++];
  }

  close(): void {
    if (!this.eof) {
      this.eof = true;
      closeSync(this.fd);
    }
  }

  private fill(): void {
    const bytes = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
    this.index = 0;
    if (bytes === 0) {
      const rest = this.pending + this.decoder.end();
      this.lines = rest.length > 0 ? [rest] : [];
      this.pending = "";
      this.close();
      return;
    }
    const text = this.pending + this.decoder.write(this.chunk.subarray(0, bytes));
    const parts = text.split(/\r?\n/);
    this.pending = parts.pop() ?? "";
    this.lines = parts;
  }
}
