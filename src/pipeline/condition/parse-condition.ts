/**
 * The edge condition language (§10.2): clauses joined by `&&`, each `key = literal`,
 * `key != literal` or a bare key tested for truthiness. Anything else is refused with a column.
 */

/** One clause of a condition; `column` is 1-based in the condition text. */
export type Clause =
  | { key: string; op: "=" | "!="; value: string; column: number }
  | { key: string; op: "truthy"; column: number };

export type ParsedCondition =
  | { ok: true; clauses: Clause[] }
  | { ok: false; message: string; column: number };

class ConditionError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

const KEY_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const BARE_LITERAL = /[A-Za-z0-9_.:-]/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', n: "\n", t: "\t", "\\": "\\" };

/** Parses a condition; an empty (or all-blank) condition is no clauses, which is always true. */
export function parseCondition(text: string): ParsedCondition {
  try {
    return { ok: true, clauses: new ConditionParser(text).parse() };
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    return { ok: false, message: error.message, column: error.index + 1 };
  }
}

class ConditionParser {
  private i = 0;

  constructor(private readonly text: string) {}

  parse(): Clause[] {
    this.skipSpace();
    if (this.i >= this.text.length) return [];
    const clauses = [this.clause()];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) return clauses;
      if (this.text.startsWith("&&", this.i)) {
        this.i += 2;
        clauses.push(this.clause());
      } else {
        throw this.unexpected("expected && or the end of the condition");
      }
    }
  }

  private clause(): Clause {
    this.skipSpace();
    const start = this.i;
    const c = this.text[this.i];
    if (c === undefined || this.text.startsWith("&&", this.i))
      throw new ConditionError("empty clause: && needs a clause on each side", start);
    if (c === "!")
      throw new ConditionError("negation (!) is not supported; write key!=value", start);
    if (c === "(" || c === ")") throw new ConditionError("parentheses are not supported", start);
    while (this.i < this.text.length && /[A-Za-z0-9_.]/.test(this.text[this.i] as string)) this.i++;
    const key = this.text.slice(start, this.i);
    if (key === "") throw this.unexpected("expected a key such as outcome or context.name");
    if (!KEY_PATH.test(key))
      throw new ConditionError(
        `${key} is not a key: write outcome, preferred_label or context.<name>`,
        start,
      );
    this.skipSpace();
    if (this.i >= this.text.length || this.text.startsWith("&&", this.i))
      return { key, op: "truthy", column: start + 1 };
    let op: "=" | "!=";
    if (this.text.startsWith("!=", this.i)) op = "!=";
    else if (this.text[this.i] === "=") op = "=";
    else throw this.unexpected("expected = or !=");
    this.i += op.length;
    if (this.text[this.i] === "=") throw new ConditionError("write = not ==", this.i - 1);
    return { key, op, value: this.literal(), column: start + 1 };
  }

  private literal(): string {
    this.skipSpace();
    const start = this.i;
    if (this.text[this.i] === '"') {
      this.i++;
      let value = "";
      for (;;) {
        const c = this.text[this.i];
        if (c === undefined) throw new ConditionError("unterminated quoted value", start);
        this.i++;
        if (c === '"') return value;
        if (c === "\\" && this.i < this.text.length) {
          const e = this.text[this.i] as string;
          value += ESCAPES[e] ?? `\\${e}`;
          this.i++;
        } else value += c;
      }
    }
    while (this.i < this.text.length && BARE_LITERAL.test(this.text[this.i] as string)) this.i++;
    if (this.i === start) throw this.unexpected('expected a value; write "" for the empty string');
    return this.text.slice(start, this.i);
  }

  private unexpected(expected: string): ConditionError {
    const rest = this.text.slice(this.i);
    const at = this.i;
    if (rest.startsWith("||"))
      return new ConditionError("|| (or) is not supported; use one edge per alternative", at);
    if (/^[<>]/.test(rest))
      return new ConditionError("< and > are not supported; compare with = or !=", at);
    const word = /^[A-Za-z]+/.exec(rest)?.[0];
    if (
      word === "contains" ||
      word === "matches" ||
      word === "and" ||
      word === "or" ||
      word === "not"
    )
      return new ConditionError(`${word} is not supported; use =, != and &&`, at);
    if (at >= this.text.length) return new ConditionError(`${expected}, found the end`, at);
    return new ConditionError(`${expected}, found ${JSON.stringify(rest[0])}`, at);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }
}
