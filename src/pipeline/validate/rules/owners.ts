/** The graph, every node and every edge, each with a name for messages and a subject for diagnostics. */
import type { PipelineEdge, PipelineGraph, PipelineNode, SourcePos } from "../../graph.js";
import { type AttrOwner, graphPos } from "../lint-rule.js";

export type OwnerKind = "graph" | "node" | "edge";

export interface AttrSubject {
  kind: OwnerKind;
  owner: AttrOwner;
  /** "the graph", "node plan", "edge a -> b". */
  where: string;
  pos: SourcePos;
  node?: PipelineNode;
  edge?: PipelineEdge;
}

export function attrOwners(graph: PipelineGraph): AttrSubject[] {
  return [
    { kind: "graph", owner: graph, where: "the graph", pos: graphPos(graph) },
    ...[...graph.nodes.values()].map(
      (node): AttrSubject => ({
        kind: "node",
        owner: node,
        where: `node ${node.id}`,
        pos: node.pos,
        node,
      }),
    ),
    ...graph.edges.map(
      (edge): AttrSubject => ({
        kind: "edge",
        owner: edge,
        where: `edge ${edge.from} -> ${edge.to}`,
        pos: edge.pos,
        edge,
      }),
    ),
  ];
}

/** The subject fields of a Finding: only those present, so the diagnostic has no undefined keys. */
export function subjectOf(subject: AttrSubject): { node?: PipelineNode; edge?: PipelineEdge } {
  return subject.node ? { node: subject.node } : subject.edge ? { edge: subject.edge } : {};
}
