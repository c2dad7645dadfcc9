/**
 * The Attractor DOT subset (§2.2), parsed by recursive descent into a PipelineGraph. Every
 * refusal names its line and column and says how to fix it; any input ends in linear time.
 */
import type { Diagnostic } from "../../common/index.js";
import type { PipelineGraph } from "../graph.js";
import { DotSyntaxError } from "./dot-syntax-error.js";
import {
  at,
  checkIdentifier,
  checkKey,
  checkNodeId,
  describe,
  fail,
  keyword,
  rejectUndirected,
} from "./dot-tokens.js";
import { type Attr, GraphBuilder, type Scope } from "./graph-builder.js";
import { DotLexer, type Token } from "./lex-dot.js";

export type ParsedDot = { ok: true; graph: PipelineGraph } | { ok: false; issues: Diagnostic[] };

/** Parses one pipeline file. Never throws for bad content: a refusal is one `dot-syntax` issue. */
export function parseDot(text: string, file: string): ParsedDot {
  try {
    return { ok: true, graph: new DotParser(text, file).parseFile() };
  } catch (error) {
    if (!(error instanceof DotSyntaxError)) throw error;
    const { message, line, column, hint } = error;
    return {
      ok: false,
      issues: [{ rule: "dot-syntax", severity: "error", message, file, line, column, hint }],
    };
  }
}

/** Deeper nesting than this is a mistake, and the parser recurses once per level. */
const MAX_DEPTH = 64;

class DotParser {
  private readonly lexer: DotLexer;
  private readonly lookahead: Token[] = [];
  private readonly builder: GraphBuilder;

  constructor(text: string, file: string) {
    this.lexer = new DotLexer(text);
    this.builder = new GraphBuilder(file);
  }

  parseFile(): PipelineGraph {
    const first = this.peek();
    if (first.kind === "eof")
      throw new DotSyntaxError("the file is empty", 1, 1, "write a pipeline: digraph Name { ... }");
    const kw = keyword(first);
    if (kw === "strict")
      throw fail(first, "strict graphs are not supported", "remove `strict`: write digraph Name {");
    if (kw === "graph")
      throw fail(
        first,
        "undirected graphs are not supported",
        "write digraph Name { ... } with -> edges",
      );
    if (kw !== "digraph")
      throw fail(
        first,
        `expected digraph, found ${describe(first)}`,
        "a pipeline starts with digraph Name {",
      );
    this.next();
    this.builder.graph.pos = at(first);
    const name = this.peek();
    if (name.kind === "word" && !keyword(name)) {
      this.next();
      this.builder.graph.id = checkIdentifier(name, "graph name");
    } else if (name.kind === "string" || name.kind === "number") {
      throw fail(name, "the graph name must be an identifier", "write digraph My_pipeline {");
    }
    const open = this.expect("{", "after the graph name", "write digraph Name {");
    const root = this.builder.rootScope();
    this.parseStatements(root, open, 0);
    this.next();
    const after = this.peek();
    if (after.kind !== "eof") {
      const again = keyword(after);
      if (again === "digraph" || again === "graph" || again === "strict")
        throw fail(after, "only one graph per file", "move this graph to its own .dot file");
      throw fail(
        after,
        `unexpected ${describe(after)} after the graph`,
        "remove it, or move it inside { }",
      );
    }
    return this.builder.finish();
  }

  /** Statements until the `}` matching `open`, which is left unconsumed. */
  private parseStatements(scope: Scope, open: Token, depth: number): void {
    for (;;) {
      const token = this.peek();
      const kw = keyword(token);
      if (token.kind === "eof")
        throw fail(open, "this { is never closed", "add the matching } at the end of the block");
      if (token.kind === "}") return;
      if (token.kind === ";") this.next();
      else if (kw === "graph") {
        this.next();
        this.builder.setScopeAttrs(scope, this.parseAttrBlock(kw));
      } else if (kw === "node" || kw === "edge") {
        this.next();
        const defaults = kw === "node" ? scope.nodeDefaults : scope.edgeDefaults;
        for (const attr of this.parseAttrBlock(kw)) defaults.set(attr.key, attr);
      } else if (kw === "subgraph" || token.kind === "{") {
        this.parseSubgraph(scope, depth);
      } else if (kw === "digraph" || kw === "strict") {
        throw fail(
          token,
          `${kw} cannot appear inside a graph`,
          "use subgraph Name { ... } to group nodes",
        );
      } else if (token.kind === "word") {
        this.parseNodeEdgeOrAttr(scope);
      } else {
        // Throws for every token that is not a word; consuming it keeps the loop finite regardless.
        checkNodeId(token, "at the start of a statement");
        this.next();
      }
    }
  }

  private parseSubgraph(parent: Scope, depth: number): void {
    const first = this.next();
    if (depth + 1 > MAX_DEPTH)
      throw fail(first, `subgraphs nested deeper than ${MAX_DEPTH} levels`, "flatten the nesting");
    if (first.kind !== "{") {
      const name = this.peek();
      if (name.kind === "word" && !keyword(name)) checkIdentifier(this.next(), "subgraph name");
      else if (name.kind === "string" || name.kind === "number")
        throw fail(
          name,
          "the subgraph name must be an identifier",
          "write subgraph cluster_name {",
        );
    }
    const open =
      first.kind === "{"
        ? first
        : this.expect("{", "to open the subgraph", "write subgraph Name { ... }");
    const scope = this.builder.childScope(parent);
    this.parseStatements(scope, open, depth + 1);
    this.next();
    this.builder.closeScope(scope);
  }

  private parseNodeEdgeOrAttr(scope: Scope): void {
    const first = this.next();
    const after = this.peek();
    if (after.kind === "=") {
      checkKey(first);
      this.next();
      const value = this.parseValue(first);
      this.builder.setScopeAttrs(scope, [{ key: first.text, ...value, keyPos: at(first) }]);
      return;
    }
    const id = checkNodeId(first);
    if (after.kind !== "->") {
      rejectUndirected(after);
      const attrs = this.peek().kind === "[" ? this.parseAttrBlock("node") : [];
      this.builder.mentionNode(scope, id, at(first), true, attrs);
      return;
    }
    const chain = [{ id, pos: at(first) }];
    while (this.peek().kind === "->") {
      this.next();
      const target = this.next();
      if (keyword(target) === "subgraph" || target.kind === "{")
        throw fail(
          target,
          "edges to subgraphs are not supported",
          "write one edge per target: a -> b, a -> c",
        );
      chain.push({ id: checkNodeId(target, "after ->"), pos: at(target) });
    }
    rejectUndirected(this.peek());
    const attrs = this.peek().kind === "[" ? this.parseAttrBlock("edge") : [];
    this.builder.addEdges(scope, chain, attrs);
  }

  /** `[ key=value, ... ]`; commas required between attributes, a trailing one allowed. */
  private parseAttrBlock(owner: string): Attr[] {
    const open = this.expect("[", `after ${owner}`, `write ${owner} [key=value, ...]`);
    const attrs: Attr[] = [];
    for (;;) {
      const key = this.peek();
      if (key.kind === "]") {
        this.next();
        return attrs;
      }
      if (key.kind === "eof")
        throw fail(open, "this [ is never closed", "add ] after the last attribute");
      if (key.kind !== "word")
        throw fail(
          key,
          `expected an attribute name, found ${describe(key)}`,
          'write key=value, e.g. label="Plan"',
        );
      checkKey(key);
      this.next();
      if (this.peek().kind !== "=")
        throw fail(
          key,
          `attribute ${key.text} has no value`,
          `write ${key.text}=value, e.g. ${key.text}="..."`,
        );
      this.next();
      attrs.push({ key: key.text, ...this.parseValue(key), keyPos: at(key) });
      const sep = this.peek();
      if (sep.kind === ",") this.next();
      else if (sep.kind === "eof")
        throw fail(open, "this [ is never closed", "add ] after the last attribute");
      else if (sep.kind === "word" && this.peek(1).kind === "=")
        throw fail(
          sep,
          "missing comma between attributes",
          `separate attributes with commas: ..., ${sep.text}=...`,
        );
      else if (sep.kind === ";")
        throw fail(sep, "attributes are separated by commas, not semicolons", "replace ; with ,");
      else if (sep.kind !== "]")
        throw fail(
          sep,
          `expected , or ] after the value of ${key.text}, found ${describe(sep)}`,
          `close the attribute list with ] (it opened at line ${open.line}, column ${open.column})`,
        );
    }
  }

  private parseValue(key: Token): Pick<Attr, "value" | "valuePos"> {
    const token = this.next();
    if (token.kind === "string")
      return {
        value: token.text,
        valuePos: { line: token.line, column: token.column + 1, verbatim: token.verbatim },
      };
    if (token.kind === "word" || token.kind === "number")
      return { value: token.text, valuePos: { ...at(token), verbatim: true } };
    throw fail(
      token,
      `expected a value for ${key.text}, found ${describe(token)}`,
      `quote text: ${key.text}="..."`,
    );
  }

  private expect(kind: Token["kind"], where: string, hint: string): Token {
    const token = this.next();
    if (token.kind !== kind)
      throw fail(token, `expected ${kind} ${where}, found ${describe(token)}`, hint);
    return token;
  }

  private peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.lexer.next());
    return this.lookahead[ahead] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }
}
