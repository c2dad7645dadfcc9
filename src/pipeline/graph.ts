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
}

export interface PipelineEdge {
  from: string;
  to: string;
  attrs: Record<string, string>;
  attrPos: Record<string, SourcePos>;
  pos: SourcePos;
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
  return shapeToType[node.attrs.shape ?? "box"] ?? "codergen";
}

export function isStartNode(node: PipelineNode): boolean {
  return node.attrs.shape === "Mdiamond" || ((node.id === "start" || node.id === "Start") && !node.attrs.shape);
}

export function isExitNode(node: PipelineNode): boolean {
  return node.attrs.shape === "Msquare" || ((node.id === "exit" || node.id === "end") && !node.attrs.shape);
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
export function attrInt(attrs: Record<string, string>, key: string, fallback?: number): number | undefined {
  const raw = attrs[key];
  if (raw === undefined || raw === "") return fallback;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

export function attrBool(attrs: Record<string, string>, key: string, fallback = false): boolean {
  const raw = attrs[key];
  if (raw === undefined || raw === "") return fallback;
  return raw.trim() === "true";
}
