/**
 * Builds a PipelineGraph from parsed statements: default blocks scoped to their subgraph,
 * nodes merged across mentions, chained edges expanded, subgraph labels turned into classes.
 */
import type { PipelineEdge, PipelineGraph, PipelineNode, SourcePos, ValuePos } from "../graph.js";

/** One `key=value` as written. */
export interface Attr {
  key: string;
  value: string;
  keyPos: SourcePos;
  valuePos: ValuePos;
}

/** A `digraph` or `subgraph` body: its defaults and, for subgraphs, who is inside. */
export interface Scope {
  parent: Scope | undefined;
  nodeDefaults: Map<string, Attr>;
  edgeDefaults: Map<string, Attr>;
  /** Every node mentioned inside this subgraph or a nested one; undefined for the graph. */
  members: Set<string> | undefined;
  label: string | undefined;
}

/** Lowercase, spaces to hyphens, drop everything but `[a-z0-9-]` (§2.10); trimmed first, and a run of spaces is one hyphen. */
export function deriveClass(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9-]/g, "");
}

export class GraphBuilder {
  readonly graph: PipelineGraph;
  private readonly graphValuePos: Record<string, ValuePos> = {};
  private readonly subgraphClasses = new Map<string, string[]>();

  constructor(file: string) {
    this.graph = {
      id: "",
      file,
      attrs: {},
      attrPos: {},
      valuePos: this.graphValuePos,
      nodes: new Map(),
      edges: [],
    };
  }

  rootScope(): Scope {
    return this.childScope(undefined);
  }

  /** A nested scope starts with the defaults in force where it opens. */
  childScope(parent: Scope | undefined): Scope {
    return {
      parent,
      nodeDefaults: new Map(parent?.nodeDefaults),
      edgeDefaults: new Map(parent?.edgeDefaults),
      members: parent ? new Set() : undefined,
      label: undefined,
    };
  }

  /** `key=value` or `graph [...]`: the graph's attributes at the top, the subgraph's inside one. */
  setScopeAttrs(scope: Scope, attrs: readonly Attr[]): void {
    for (const attr of attrs) {
      if (scope.parent) {
        if (attr.key === "label") scope.label = attr.value;
        continue;
      }
      this.graph.attrs[attr.key] = attr.value;
      this.graph.attrPos[attr.key] = attr.keyPos;
      this.graphValuePos[attr.key] = attr.valuePos;
    }
  }

  /** A node statement (`declared`) or an edge endpoint: create with defaults, or merge. */
  mentionNode(scope: Scope, id: string, pos: SourcePos, declared: boolean, attrs: readonly Attr[]) {
    let node = this.graph.nodes.get(id);
    if (!node) {
      node = { id, attrs: {}, attrPos: {}, valuePos: {}, pos, classes: [], declared };
      inherit(node, scope.nodeDefaults);
      this.graph.nodes.set(id, node);
    } else if (declared) {
      node.declared = true;
    }
    assign(node, attrs);
    for (let s: Scope | undefined = scope; s?.members; s = s.parent) s.members.add(id);
  }

  addEdges(scope: Scope, chain: ReadonlyArray<{ id: string; pos: SourcePos }>, attrs: Attr[]) {
    for (const end of chain) this.mentionNode(scope, end.id, end.pos, false, []);
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = chain[i] as { id: string; pos: SourcePos };
      const to = chain[i + 1] as { id: string; pos: SourcePos };
      const edge: PipelineEdge = {
        from: from.id,
        to: to.id,
        attrs: {},
        attrPos: {},
        valuePos: {},
        pos: from.pos,
        toPos: to.pos,
        index: this.graph.edges.length,
      };
      inherit(edge, scope.edgeDefaults);
      assign(edge, attrs);
      this.graph.edges.push(edge);
    }
  }

  /** When a subgraph closes, its label (wherever it was set inside) classes every member. */
  closeScope(scope: Scope): void {
    if (!scope.members || scope.label === undefined) return;
    const cls = deriveClass(scope.label);
    if (cls === "") return;
    for (const id of scope.members) {
      const list = this.subgraphClasses.get(id) ?? [];
      if (!list.includes(cls)) list.push(cls);
      this.subgraphClasses.set(id, list);
    }
  }

  /** Classes from each node's final `class` attribute, then from enclosing subgraphs. */
  finish(): PipelineGraph {
    for (const node of this.graph.nodes.values()) {
      const own = (node.attrs.class ?? "")
        .split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "");
      node.classes = [...new Set([...own, ...(this.subgraphClasses.get(node.id) ?? [])])];
    }
    return this.graph;
  }
}

type Target = PipelineNode | PipelineEdge;

/** Defaults in scope: the value and where it was written, but not as the target's own attribute. */
function inherit(target: Target, defaults: ReadonlyMap<string, Attr>): void {
  const valuePos = target.valuePos ?? {};
  for (const attr of defaults.values()) {
    target.attrs[attr.key] = attr.value;
    valuePos[attr.key] = attr.valuePos;
  }
  target.valuePos = valuePos;
}

/** Attributes written on the statement itself: later ones win. */
function assign(target: Target, attrs: readonly Attr[]): void {
  const valuePos = target.valuePos ?? {};
  for (const attr of attrs) {
    target.attrs[attr.key] = attr.value;
    target.attrPos[attr.key] = attr.keyPos;
    valuePos[attr.key] = attr.valuePos;
  }
  target.valuePos = valuePos;
}
