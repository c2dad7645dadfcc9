/** What each token may be: node IDs, attribute names and keywords, with the refusal when it is not. */
import type { SourcePos } from "../graph.js";
import { DotSyntaxError } from "./dot-syntax-error.js";
import type { Token } from "./lex-dot.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const KEYWORDS = new Set(["digraph", "graph", "node", "edge", "subgraph", "strict"]);

export const keyword = (token: Token): string | undefined => {
  const lower = token.text.toLowerCase();
  return token.kind === "word" && KEYWORDS.has(lower) ? lower : undefined;
};
export const at = (token: Token): SourcePos => ({ line: token.line, column: token.column });
export const describe = (token: Token): string =>
  token.kind === "eof"
    ? "the end of the file"
    : token.kind === "string"
      ? "a string"
      : `"${token.text}"`;
export const fail = (token: Token, message: string, hint: string): DotSyntaxError =>
  new DotSyntaxError(message, token.line, token.column, hint);

/** The token as a node ID, or a refusal saying why it cannot be one. */
export function checkNodeId(token: Token, where = ""): string {
  if (token.kind === "string")
    throw fail(
      token,
      "quoted node IDs are not supported",
      'use an identifier such as review_code, and put the text in label="..."',
    );
  if (token.kind === "number")
    throw fail(
      token,
      `numeric node ID ${token.text} is not supported`,
      `node IDs start with a letter or _, e.g. n${token.text.replace(/\W/g, "_")}`,
    );
  if (token.kind !== "word")
    throw fail(
      token,
      `expected a node ID ${where}, found ${describe(token)}`.replace("  ", " "),
      "statements are: a [..], a -> b [..], key=value, node [..], edge [..], graph [..], subgraph { }",
    );
  const kw = keyword(token);
  if (kw) throw fail(token, `${kw} is a keyword, not a node ID`, `rename the node, e.g. ${kw}_1`);
  return checkIdentifier(token, "node ID");
}

export function checkIdentifier(token: Token, what: string): string {
  if (IDENTIFIER.test(token.text)) return token.text;
  throw fail(
    token,
    `${what} ${token.text} must match [A-Za-z_][A-Za-z0-9_]*`,
    `write ${token.text.replace(/\W/g, "_")}, and put other text in label="..."`,
  );
}

export function checkKey(token: Token): void {
  if (!KEY.test(token.text))
    throw fail(
      token,
      `attribute name ${token.text} is not an identifier or dotted identifier`,
      "write names like label, max_retries or human.default_choice",
    );
  // Assigning __proto__ on a plain object is silently ignored, so the attribute would vanish.
  if (token.text.split(".").includes("__proto__"))
    throw fail(token, "attribute name __proto__ is reserved", "choose another name");
}

export function rejectUndirected(token: Token): void {
  if (token.kind === "--")
    throw fail(token, "undirected edges (--) are not supported", "write a directed edge: a -> b");
}
