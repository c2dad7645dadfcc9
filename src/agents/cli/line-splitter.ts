/** Turns chunks of a stream into whole lines, for parsers that read one event per line. */

/** A line longer than this is dropped: no event we read comes near it, and memory stays bounded. */
const MAX_LINE = 8 * 1024 * 1024;

export class LineSplitter {
  private pending = "";
  /** True while dropping the rest of a line that passed MAX_LINE. */
  private dropping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    if (!chunk.includes("\n")) {
      this.pending += chunk;
    } else {
      const lines = (this.pending + chunk).split("\n");
      this.pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!this.dropping) this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
        this.dropping = false;
      }
    }
    if (this.pending.length > MAX_LINE) {
      this.dropping = true;
      this.pending = "";
    }
  }

  /** The last line, when the stream ended without a newline (a killed process, say). */
  end(): void {
    if (this.pending !== "" && !this.dropping) this.onLine(this.pending);
    this.pending = "";
    this.dropping = false;
  }
}
