/**
 * The in-memory pipeline graph that the DOT parser produces and the validator and engine
 * read. Attribute values are kept as the text written (DOT has no types); typed readers
 * below interpret them, so a diagnostic can always quote and locate what the author wrote.
 */

export interface SourcePos {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Where an attribute's value text starts (after the opening quote when quoted). */
export interface ValuePos extends SourcePos {
  /**
   * True when the value was written without escapes, so an offset inside the value maps to
   * the source by counting characters and newlines; false when escapes make that inexact.
   */
  verbatim: boolean;
}

export interface PipelineNode {
  id: string;
  /** Effective attributes: defaults in scope, then the node's own, then transforms (stylesheet). */
  attrs: Record<string, string>;
  /** Where each attribute was written; absent for those inherited from a default block or set by a transform. */
  attrPos: Record<string, SourcePos>;
  /** Where the node was first declared or first used in an edge. */
  pos: SourcePos;
  /** From `class="a,b"` and from enclosing subgraph labels (§2.10). */
  classes: string[];
  /**
   * Where each value was written, including values inherited from a `node [...]` block (then
   * the block's position). Absent for values set by a transform. Optional for hand-built graphs.
   */
  valuePos?: Record<string, ValuePos>;
  /**
   * False when the node was only ever mentioned in edges, never in a node statement. Absent
   * (treated as declared) in graphs built by hand.
   */
  declared?: boolean;
}

export interface PipelineEdge {
  from: string;
  to: string;
  attrs: Record<string, string>;
  attrPos: Record<string, SourcePos>;
  /** Where the edge's source identifier was written (for a chain, this pair's source). */
  pos: SourcePos;
  /** Where the edge's target identifier was written. */
  toPos?: SourcePos;
  /** As on nodes: value positions, including those inherited from an `edge [...]` block. */
  valuePos?: Record<string, ValuePos>;
  /** Declaration order across the file, for stable reporting. */
  index: number;
}

export interface PipelineGraph {
  /** The digraph's identifier. */
  id: string;
  /** The file it came from, as given to the parser. */
  file: string;
  attrs: Record<string, string>;
  attrPos: Record<string, SourcePos>;
  valuePos?: Record<string, ValuePos>;
  /** Where the `digraph` keyword was written. */
  pos?: SourcePos;
  /** In declaration order. */
  nodes: Map<string, PipelineNode>;
  /** In declaration order; chained edges are already expanded. */
  edges: PipelineEdge[];
}

/** Handler types by shape (§2.8). */
export const shapeToType: Readonly<Record<string, string>> = {
  Mdiamond: "start",
  Msquare: "exit",
  box: "codergen",
  hexagon: "wait.human",
  diamond: "conditional",
  component: "parallel",
  tripleoctagon: "parallel.fan_in",
  parallelogram: "tool",
  house: "stack.manager_loop",
};

/** The handler type a node resolves to: explicit `type`, else by shape, else codergen (§4.2). */
export function nodeType(node: PipelineNode): string {
  const explicit = node.attrs.type;
  if (explicit) return explicit;
  const shape = node.attrs.shape ?? "box";
  // Own keys only: shape=constructor must not resolve to Object.prototype.constructor.
  return (Object.hasOwn(shapeToType, shape) ? shapeToType[shape] : undefined) ?? "codergen";
}

export function isStartNode(node: PipelineNode): boolean {
  return (
    node.attrs.shape === "Mdiamond" ||
    ((node.id === "start" || node.id === "Start") && !node.attrs.shape)
  );
}

export function isExitNode(node: PipelineNode): boolean {
  return (
    node.attrs.shape === "Msquare" ||
    ((node.id === "exit" || node.id === "end") && !node.attrs.shape)
  );
}

export function outgoingEdges(graph: PipelineGraph, nodeId: string): PipelineEdge[] {
  return graph.edges.filter((edge) => edge.from === nodeId);
}

export function incomingEdges(graph: PipelineGraph, nodeId: string): PipelineEdge[] {
  return graph.edges.filter((edge) => edge.to === nodeId);
}

export function attrString(attrs: Record<string, string>, key: string, fallback = ""): string {
  return attrs[key] ?? fallback;
}

/** An integer attribute, or `fallback` when absent; undefined when present but not an integer. */
export function attrInt(
  attrs: Record<string, string>,
  key: string,
  fallback?: number,
): number | undefined {
  const raw = attrs[key];
  if (raw === undefined || raw === "") return fallback;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

export function attrBool(attrs: Record<string, string>, key: string, fallback = false): boolean {
  const raw = attrs[key];
  if (raw === undefined || raw === "") return fallback;
  return raw.trim() === "true";
}
