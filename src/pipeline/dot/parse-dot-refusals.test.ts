import { describe, expect, it } from "vitest";
import { parseDot } from "./parse-dot.js";

interface Refusal {
  name: string;
  text: string;
  /** `line:column` of the refusal. */
  at: string;
  message: RegExp;
  hint: RegExp;
}

const refusals: Refusal[] = [
  { name: "an empty file", text: "", at: "1:1", message: /empty/, hint: /digraph Name/ },
  {
    name: "a file of comments only",
    text: "// nothing\n/* here */\n",
    at: "1:1",
    message: /empty/,
    hint: /digraph/,
  },
  {
    name: "an undirected graph",
    text: "\n  graph G { a }",
    at: "2:3",
    message: /undirected graphs/,
    hint: /digraph Name/,
  },
  {
    name: "strict",
    text: "strict digraph G { a }",
    at: "1:1",
    message: /strict/,
    hint: /remove `strict`/,
  },
  {
    name: "-- edges",
    text: "digraph G {\n  a -- b\n}",
    at: "2:5",
    message: /undirected edges/,
    hint: /a -> b/,
  },
  {
    name: "-- after a chain",
    text: "digraph G { a -> b -- c }",
    at: "1:20",
    message: /undirected edges/,
    hint: /->/,
  },
  {
    name: "a second graph",
    text: "digraph A { a }\ndigraph B { b }",
    at: "2:1",
    message: /one graph per file/,
    hint: /own \.dot file/,
  },
  {
    name: "trailing garbage",
    text: "digraph A { a }\n  oops",
    at: "2:3",
    message: /after the graph/,
    hint: /inside \{ \}/,
  },
  {
    name: "a missing comma between attributes",
    text: 'digraph G {\n  a [label="x" shape=box]\n}',
    at: "2:16",
    message: /missing comma/,
    hint: /commas/,
  },
  {
    name: "a semicolon between attributes",
    text: "digraph G { a [x=1; y=2] }",
    at: "1:19",
    message: /not semicolons/,
    hint: /replace ; with ,/,
  },
  {
    name: "an HTML label",
    text: "digraph G {\n  a [label=<b>bold</b>]\n}",
    at: "2:12",
    message: /HTML-like labels/,
    hint: /quoted string/,
  },
  {
    name: "a quoted node ID",
    text: 'digraph G {\n  "my node" [label=x]\n}',
    at: "2:3",
    message: /quoted node IDs/,
    hint: /label=/,
  },
  {
    name: "a quoted edge target",
    text: 'digraph G { a -> "b" }',
    at: "1:18",
    message: /quoted node IDs/,
    hint: /identifier/,
  },
  {
    name: "a numeric node ID",
    text: "digraph G {\n  a -> 42\n}",
    at: "2:8",
    message: /numeric node ID 42/,
    hint: /n42/,
  },
  {
    name: "a node ID with a hyphen",
    text: "digraph G {\n  fix-it\n}",
    at: "2:3",
    message: /node ID fix-it must match/,
    hint: /fix_it/,
  },
  {
    name: "a keyword as an edge target",
    text: "digraph G { a -> node }",
    at: "1:18",
    message: /node is a keyword/,
    hint: /rename/,
  },
  {
    name: "an unterminated string",
    text: 'digraph G {\n  a [label="open\n  b -> c\n}',
    at: "2:12",
    message: /unterminated string/,
    hint: /double quote/,
  },
  {
    name: "a missing ]",
    text: 'digraph G {\n  a [label="x"\n  b -> c\n}',
    at: "3:3",
    message: /expected , or \] after the value of label/,
    hint: /line 2, column 5/,
  },
  {
    name: "a [ open at the end of the file",
    text: "digraph G {\n  a [label=x,",
    at: "2:5",
    message: /\[ is never closed/,
    hint: /add \]/,
  },
  {
    name: "a missing }",
    text: "digraph G {\n  a -> b\n",
    at: "1:11",
    message: /\{ is never closed/,
    hint: /matching \}/,
  },
  {
    name: "an unclosed subgraph",
    text: "digraph G {\n  subgraph s {\n    a\n}",
    at: "1:11",
    message: /never closed/,
    hint: /\}/,
  },
  {
    name: "an attribute without =",
    text: "digraph G {\n  a [label, shape=box]\n}",
    at: "2:6",
    message: /attribute label has no value/,
    hint: /label=value/,
  },
  {
    name: "an attribute without a value",
    text: "digraph G { a [label=] }",
    at: "1:22",
    message: /expected a value for label/,
    hint: /label="\.\.\."/,
  },
  {
    name: "an unterminated block comment",
    text: "digraph G {\n  /* open\n  a\n}",
    at: "2:3",
    message: /unterminated block comment/,
    hint: /\*\//,
  },
  {
    name: "a bad attribute name",
    text: "digraph G { a [x.=1] }",
    at: "1:16",
    message: /attribute name x\. is not/,
    hint: /human\.default_choice/,
  },
  {
    name: "an edge to a subgraph",
    text: "digraph G { a -> { b c } }",
    at: "1:18",
    message: /edges to subgraphs/,
    hint: /one edge per target/,
  },
  {
    name: "a stray character",
    text: "digraph G {\n  a @ b\n}",
    at: "2:5",
    message: /unexpected character "@"/,
    hint: /remove it/,
  },
  {
    name: "a non-ASCII identifier",
    text: "digraph G { café }",
    at: "1:16",
    message: /unexpected character "é"/,
    hint: /ASCII/,
  },
  {
    name: "a nested digraph",
    text: "digraph G { digraph H { } }",
    at: "1:13",
    message: /digraph cannot appear inside/,
    hint: /subgraph/,
  },
  {
    name: "a statement starting with =",
    text: "digraph G {\n  = x\n}",
    at: "2:3",
    message: /expected a node ID at the start of a statement, found "="/,
    hint: /statements are/,
  },
  {
    name: "a file not starting with digraph",
    text: "pipeline G { }",
    at: "1:1",
    message: /expected digraph/,
    hint: /digraph Name/,
  },
  {
    name: "a quoted graph name",
    text: 'digraph "G" { }',
    at: "1:9",
    message: /graph name must be an identifier/,
    hint: /My_pipeline/,
  },
  {
    name: "string concatenation",
    text: 'digraph G { a [label="x" + "y"] }',
    at: "1:26",
    message: /concatenation/,
    hint: /one quoted string/,
  },
];

describe("parseDot refusals", () => {
  it.each(refusals)("refuses $name at $at", ({ text, at, message, hint }) => {
    const result = parseDot(text, "bad.dot");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(`${issue?.line}:${issue?.column}`).toBe(at);
    expect(issue).toMatchObject({ rule: "dot-syntax", severity: "error", file: "bad.dot" });
    expect(issue?.message).toMatch(message);
    expect(issue?.hint).toMatch(hint);
  });

  it("refuses subgraphs nested too deeply instead of overflowing the stack", () => {
    const depth = 10_000;
    const text = `digraph G { ${"subgraph { ".repeat(depth)}${"} ".repeat(depth)}}`;
    const result = parseDot(text, "deep.dot");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/nested deeper than 64/);
  });
});
