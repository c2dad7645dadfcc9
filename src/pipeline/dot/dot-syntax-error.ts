/** A refusal from the DOT lexer or parser; `parseDot` turns it into a `dot-syntax` diagnostic. */
export class DotSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly hint: string;

  constructor(message: string, line: number, column: number, hint: string) {
    super(message);
    this.name = "DotSyntaxError";
    this.line = line;
    this.column = column;
    this.hint = hint;
  }
}
