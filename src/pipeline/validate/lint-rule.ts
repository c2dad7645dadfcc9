/**
 * The lint contract (§7.4) and the helpers every rule uses to place a diagnostic on the
 * node, edge or attribute it is about.
 */
import type { Diagnostic } from "../../common/index.js";
import type { PipelineEdge, PipelineGraph, PipelineNode, SourcePos, ValuePos } from "../graph.js";

/** A diagnostic about a pipeline; `hint` holds the suggested fix (§7.1 `fix`). */
export interface PipelineDiagnostic extends Diagnostic {
  /** The node it is about (§7.1 `node_id`). */
  node?: string;
  /** The edge it is about. */
  edge?: { from: string; to: string };
}

/** One check over a parsed, transformed graph. Rules never throw and never mutate the graph. */
export interface LintRule {
  /** The rule id its diagnostics carry (a rule may emit more than one id, e.g. start and exit). */
  name: string;
  apply(graph: PipelineGraph): PipelineDiagnostic[];
}

/** What a rule says; `issue` adds the file and, from `node` or `edge`, the subject. */
export interface Finding {
  rule: string;
  severity: "error" | "warning";
  message: string;
  hint: string;
  at: SourcePos;
  node?: PipelineNode;
  edge?: PipelineEdge;
}

export function issue(graph: PipelineGraph, finding: Finding): PipelineDiagnostic {
  const { rule, severity, message, hint, at, node, edge } = finding;
  const out: PipelineDiagnostic = { rule, severity, message, file: graph.file, ...pos(at), hint };
  if (node) out.node = node.id;
  if (edge) out.edge = { from: edge.from, to: edge.to };
  return out;
}

/** A node, an edge or the graph: anything with located attributes. */
export type AttrOwner = Pick<PipelineNode, "attrs" | "attrPos" | "valuePos">;

/** Where the graph itself is: its `digraph` keyword, or the top of the file. */
export function graphPos(graph: PipelineGraph): SourcePos {
  return graph.pos ?? { line: 1, column: 1 };
}

/** Where `key` was written on its owner, else where its value was (a default block), else `fallback`. */
export function keyPos(owner: AttrOwner, key: string, fallback: SourcePos): SourcePos {
  return owner.attrPos[key] ?? owner.valuePos?.[key] ?? fallback;
}

/** Where the value of `key` starts, else where the key was, else `fallback`. */
export function valuePos(owner: AttrOwner, key: string, fallback: SourcePos): SourcePos {
  return owner.valuePos?.[key] ?? owner.attrPos[key] ?? fallback;
}

/** Where character `offset` of the value of `key` was written (see `positionInValue`). */
export function offsetPos(
  owner: AttrOwner,
  key: string,
  offset: number,
  fallback: SourcePos,
): SourcePos {
  const start = owner.valuePos?.[key];
  const value = owner.attrs[key];
  if (!start || value === undefined) return valuePos(owner, key, fallback);
  return positionInValue(start, value, offset);
}

/**
 * The source position of character `offset` inside a value that starts at `start`. Exact for
 * values written without escapes; otherwise the start of the value, which is never wrong.
 */
export function positionInValue(start: ValuePos, value: string, offset: number): SourcePos {
  if (!start.verbatim) return pos(start);
  const before = value.slice(0, Math.max(0, Math.min(offset, value.length)));
  const lastNewline = before.lastIndexOf("\n");
  if (lastNewline < 0) return { line: start.line, column: start.column + before.length };
  const newlines = before.split("\n").length - 1;
  return { line: start.line + newlines, column: before.length - lastNewline };
}

/** The node IDs of the graph that were declared, for "did you mean". */
export function declaredIds(graph: PipelineGraph): string[] {
  return [...graph.nodes.values()].filter((n) => n.declared !== false).map((n) => n.id);
}

function pos(at: SourcePos): SourcePos {
  return { line: at.line, column: at.column };
}
