/**
 * The DOT lexer: turns text into tokens with line and column, strips comments, and refuses
 * what the Attractor subset leaves out (HTML labels, stray characters) with a located error.
 */
import { DotSyntaxError } from "./dot-syntax-error.js";

export type TokenKind =
  | "word"
  | "number"
  | "string"
  | "{"
  | "}"
  | "["
  | "]"
  | "="
  | ","
  | ";"
  | "->"
  | "--"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** For strings, the unescaped content; otherwise the text as written. */
  text: string;
  line: number;
  column: number;
  /** For strings: false when the content had escapes. Always true for other tokens. */
  verbatim: boolean;
}

const PUNCTUATION = new Set(["{", "}", "[", "]", "=", ",", ";"]);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isWordStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isWordPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.:]/.test(c);
const isNumberPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.]/.test(c);
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', n: "\n", t: "\t", "\\": "\\" };

/** A pull lexer: each call to `next` consumes one token; every path advances, so it ends. */
export class DotLexer {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {
    if (text.startsWith("\uFEFF")) this.offset = 1;
  }

  next(): Token {
    this.skipSpaceAndComments();
    const { line, column, offset: start } = this;
    const c = this.text[this.offset];
    const token = (kind: TokenKind, text: string, verbatim = true): Token => ({
      kind,
      text,
      line,
      column,
      verbatim,
    });
    if (c === undefined) return token("eof", "");
    const c2 = this.text[this.offset + 1];
    if (c === '"') return this.readString(line, column);
    if (isWordStart(c)) return token("word", this.readWord());
    if (isDigit(c) || (c === "." && isDigit(c2)) || (c === "-" && (isDigit(c2) || c2 === "."))) {
      this.advance();
      while (isNumberPart(this.text[this.offset])) this.advance();
      return token("number", this.text.slice(start, this.offset));
    }
    if (c === "-" && (c2 === ">" || c2 === "-")) {
      this.advance();
      this.advance();
      return token(c2 === ">" ? "->" : "--", `-${c2}`);
    }
    if (PUNCTUATION.has(c)) {
      this.advance();
      return token(c as TokenKind, c);
    }
    throw this.unexpectedCharacter(c, line, column);
  }

  private advance(): void {
    if (this.text[this.offset] === "\n") {
      this.line++;
      this.column = 1;
    } else {
      this.column++;
    }
    this.offset++;
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.text[this.offset];
      const c2 = this.text[this.offset + 1];
      if (c === undefined) break;
      if (/\s/.test(c)) this.advance();
      else if (c === "/" && c2 === "/") {
        while (this.offset < this.text.length && this.text[this.offset] !== "\n") this.advance();
      } else if (c === "/" && c2 === "*") {
        const { line, column } = this;
        const end = this.text.indexOf("*/", this.offset + 2);
        if (end < 0)
          throw new DotSyntaxError("unterminated block comment", line, column, "close it with */");
        while (this.offset < end + 2) this.advance();
      } else break;
    }
  }

  private readWord(): string {
    const start = this.offset;
    for (;;) {
      const c = this.text[this.offset];
      const c2 = this.text[this.offset + 1];
      // A hyphen belongs to a bare value (`claude-opus-4-6`) unless it starts `->` or `--`.
      if (isWordPart(c) || (c === "-" && c2 !== ">" && c2 !== "-")) this.advance();
      else break;
    }
    return this.text.slice(start, this.offset);
  }

  private readString(line: number, column: number): Token {
    this.advance();
    let value = "";
    let verbatim = true;
    for (;;) {
      const c = this.text[this.offset];
      if (c === undefined)
        throw new DotSyntaxError(
          "unterminated string",
          line,
          column,
          'close the string with a double quote; write \\" for a quote inside it',
        );
      if (c === '"') {
        this.advance();
        return { kind: "string", text: value, line, column, verbatim };
      }
      if (c === "\\" && this.offset + 1 < this.text.length) {
        const e = this.text[this.offset + 1] as string;
        verbatim = false;
        value += ESCAPES[e] ?? `\\${e}`;
        this.advance();
        this.advance();
        continue;
      }
      value += c;
      this.advance();
    }
  }

  private unexpectedCharacter(c: string, line: number, column: number): DotSyntaxError {
    if (c === "<")
      return new DotSyntaxError(
        "HTML-like labels <...> are not supported",
        line,
        column,
        'write the text as a quoted string, e.g. label="Review changes"',
      );
    if (c === "#")
      return new DotSyntaxError(
        "unexpected character #",
        line,
        column,
        "comments are written // line or /* block */",
      );
    if (c === "+")
      return new DotSyntaxError(
        "string concatenation with + is not supported",
        line,
        column,
        "join the text into one quoted string",
      );
    const shown = JSON.stringify(c);
    return new DotSyntaxError(
      `unexpected character ${shown}`,
      line,
      column,
      /[^\x20-\x7e]/.test(c)
        ? "identifiers are ASCII letters, digits and _; put other text in a quoted label"
        : "remove it, or quote the value it belongs to",
    );
  }
}
