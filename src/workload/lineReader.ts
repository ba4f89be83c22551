import { closeSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { openRegularFile } from "../common/regularFile.js";

export interface LineReaderOptions {
  /** The longest line accepted, in bytes without its terminator. */
  maxLineBytes: number;
  /** The error thrown on reaching a longer line (its 1-based number). */
  tooLong: (lineNumber: number) => Error;
  /** Reads no further than this many bytes: the part of a file an earlier pass checked. */
  byteLimit?: number;
}

const NEWLINE = 0x0a;

/**
 * Reads a text file line by line with a fixed-size buffer, synchronously, because the event loop
 * of a simulation pulls the next arrival at the moment it needs it. Memory stays constant
 * whatever the file size, so a two-week trace replays like a twenty-minute one. Each byte is
 * looked at once, so a line costs time in proportion to its length, and a line past the limit is
 * refused as soon as it is seen rather than held in memory.
 */
export class LineReader {
  private readonly fd: number;
  /** The file's size when opened. */
  readonly size: number;
  private readonly chunk: Buffer;
  // Decodes across chunk boundaries, so a multi-byte character split by a read stays whole.
  private readonly decoder = new StringDecoder("utf8");
  private readonly byteLimit: number;
  private pending = "";
  private pendingBytes = 0;
  private lines: string[] = [];
  private index = 0;
  private eof = false;
  /** The number of a line found too long, reported once the lines before it are returned. */
  private tooLongAt = 0;
  /** 1-based number of the line last returned, for error messages. */
  lineNumber = 0;
  /** Bytes read from the file so far. */
  bytesRead = 0;

  constructor(
    path: string,
    private readonly options: LineReaderOptions,
  ) {
    const { fd, size } = openRegularFile(path);
    this.fd = fd;
    this.size = size;
    this.byteLimit = options.byteLimit ?? Infinity;
    this.chunk = Buffer.alloc(Math.min(1 << 16, options.maxLineBytes));
  }

  /** The next line without its terminator, or undefined at the end (the file is then closed). */
  next(): string | undefined {
    while (this.index >= this.lines.length) {
      if (this.tooLongAt > 0) throw this.options.tooLong(this.tooLongAt);
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
    const room = Math.min(this.chunk.length, this.byteLimit - this.bytesRead);
    const bytes = room > 0 ? readSync(this.fd, this.chunk, 0, room, null) : 0;
    this.lines = [];
    this.index = 0;
    if (bytes === 0) {
      const rest = this.pending + this.decoder.end();
      if (rest.length > 0) this.lines.push(withoutCr(rest));
      this.pending = "";
      this.close();
      return;
    }
    this.bytesRead += bytes;
    let start = 0;
    const data = this.chunk.subarray(0, bytes);
    const first = data.indexOf(NEWLINE);
    // Only the line that began in an earlier chunk can outgrow the limit: the chunk is no longer than it.
    if (!this.fits(first < 0 ? bytes : first)) return;
    if (first >= 0) {
      // A newline byte never falls inside a multi-byte character, so the decoder is empty after it.
      const last = data.lastIndexOf(NEWLINE);
      const text = this.pending + this.decoder.write(data.subarray(0, last));
      const lines = text.includes("\r") ? text.split(/\r?\n/) : text.split("\n");
      // A CR that ended the previous chunk has no LF after it in `text`.
      lines[lines.length - 1] = withoutCr(lines[lines.length - 1]);
      this.lines = lines;
      this.pending = "";
      this.pendingBytes = 0;
      start = last + 1;
    }
    this.pendingBytes += bytes - start;
    this.pending += this.decoder.write(data.subarray(start));
  }

  /** Whether the current line stays within the limit with `more` bytes; if not, stops reading. */
  private fits(more: number): boolean {
    if (this.pendingBytes + more <= this.options.maxLineBytes) return true;
    this.tooLongAt = this.lineNumber + this.lines.length + 1;
    this.pending = "";
    this.close();
    return false;
  }
}

function withoutCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
