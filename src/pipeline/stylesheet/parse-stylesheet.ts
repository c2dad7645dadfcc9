/**
 * The model stylesheet (§8.2): CSS-like rules that set `llm_model`, `llm_provider` and
 * `reasoning_effort` by universal, shape, class or ID selector.
 */
import { closestWord } from "../../common/index.js";

export const STYLESHEET_PROPERTIES = ["llm_model", "llm_provider", "reasoning_effort"] as const;
export type StylesheetProperty = (typeof STYLESHEET_PROPERTIES)[number];

export type Selector =
  | { kind: "universal" }
  | { kind: "shape"; name: string }
  | { kind: "class"; name: string }
  | { kind: "id"; name: string };

export interface StyleRule {
  selector: Selector;
  /** `*` 0, shape 1, `.class` 2, `#id` 3 (§8.3). */
  specificity: number;
  declarations: Array<{ property: StylesheetProperty; value: string }>;
  /** Position among the rules; later wins at equal specificity. */
  order: number;
}

export type ParsedStylesheet =
  | { ok: true; rules: StyleRule[] }
  | { ok: false; message: string; offset: number; hint?: string };

class StylesheetError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const SPECIFICITY = { universal: 0, shape: 1, class: 2, id: 3 } as const;
const REASONING_EFFORTS = ["low", "medium", "high"];
const NAME = /[A-Za-z0-9_-]/;

/** Parses a stylesheet; blank text is no rules. `offset` is 0-based in `text`. */
export function parseStylesheet(text: string): ParsedStylesheet {
  try {
    return { ok: true, rules: new StylesheetParser(text).parse() };
  } catch (error) {
    if (!(error instanceof StylesheetError)) throw error;
    const { message, offset, hint } = error;
    return hint ? { ok: false, message, offset, hint } : { ok: false, message, offset };
  }
}

class StylesheetParser {
  private i = 0;

  constructor(private readonly text: string) {}

  parse(): StyleRule[] {
    const rules: StyleRule[] = [];
    for (this.skipSpace(); this.i < this.text.length; this.skipSpace()) {
      const selector = this.selector();
      this.skipSpace();
      if (this.text[this.i] === ",")
        throw new StylesheetError(
          "selector lists are not supported",
          this.i,
          "write one rule per selector",
        );
      this.expect("{", "after the selector");
      const declarations: StyleRule["declarations"] = [];
      for (this.skipSpace(); this.text[this.i] !== "}"; this.skipSpace()) {
        if (this.i >= this.text.length)
          throw new StylesheetError("expected } to close the rule", this.i);
        declarations.push(this.declaration());
        this.skipSpace();
        if (this.text[this.i] === ";") this.i++;
        else if (this.text[this.i] !== "}")
          throw new StylesheetError("expected ; or } after the value", this.i);
      }
      this.i++;
      rules.push({
        selector,
        specificity: SPECIFICITY[selector.kind],
        declarations,
        order: rules.length,
      });
    }
    return rules;
  }

  private selector(): Selector {
    const at = this.i;
    const c = this.text[at];
    if (c === "*") {
      this.i++;
      return { kind: "universal" };
    }
    if (c === "#" || c === ".") {
      this.i++;
      const name = this.word(NAME);
      if (name === "")
        throw new StylesheetError(
          `expected a ${c === "#" ? "node ID" : "class name"} after ${c}`,
          this.i,
        );
      return { kind: c === "#" ? "id" : "class", name };
    }
    const name = this.word(/[A-Za-z0-9_]/);
    if (!/^[A-Za-z_]/.test(name))
      throw new StylesheetError("expected a selector: *, a shape, .class or #id", at);
    return { kind: "shape", name };
  }

  private declaration(): StyleRule["declarations"][number] {
    const at = this.i;
    const property = this.word(NAME);
    if (!(STYLESHEET_PROPERTIES as readonly string[]).includes(property)) {
      const near = closestWord(property, STYLESHEET_PROPERTIES);
      throw new StylesheetError(
        property === "" ? "expected a property" : `unknown property ${property}`,
        at,
        near ? `did you mean ${near}?` : `the properties are ${STYLESHEET_PROPERTIES.join(", ")}`,
      );
    }
    this.expect(":", `after ${property}`);
    this.skipSpace();
    const valueAt = this.i;
    const value = this.value();
    if (property === "reasoning_effort" && !REASONING_EFFORTS.includes(value))
      throw new StylesheetError(
        `reasoning_effort ${JSON.stringify(value)} is not low, medium or high`,
        valueAt,
      );
    return { property: property as StylesheetProperty, value };
  }

  /** A quoted string (`\"` and `\\` escapes) or a bare run up to space, `;` or `}`. */
  private value(): string {
    const start = this.i;
    if (this.text[start] === '"') {
      let value = "";
      for (this.i++; ; this.i++) {
        const c = this.text[this.i];
        if (c === undefined) throw new StylesheetError("unterminated string", start);
        if (c === '"') break;
        if (c === "\\" && this.i + 1 < this.text.length) value += this.text[++this.i];
        else value += c;
      }
      this.i++;
      return value;
    }
    const value = this.word(/[^\s;{}"]/);
    if (value === "") throw new StylesheetError("expected a value", start);
    return value;
  }

  private word(pattern: RegExp): string {
    const start = this.i;
    while (this.i < this.text.length && pattern.test(this.text[this.i] as string)) this.i++;
    return this.text.slice(start, this.i);
  }

  private expect(c: string, what: string): void {
    this.skipSpace();
    if (this.text[this.i] !== c) throw new StylesheetError(`expected ${c} ${what}`, this.i);
    this.i++;
  }

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }
}
