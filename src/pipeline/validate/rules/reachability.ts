/**
 * `reachability`: a node no path from start reaches can never run. A WARNING, not the ERROR of
 * §7.2, following the parity matrix (§11.12: "orphan node -> warning").
 */
import { isStartNode, type PipelineGraph } from "../../graph.js";
import { issue, type LintRule } from "../lint-rule.js";

/** Every node ID reachable from `from` along edges, `from` included. */
export function reachableFrom(graph: PipelineGraph, from: string): Set<string> {
  const next = successors(graph);
  const seen = new Set([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    for (const to of next.get(queue[i] as string) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return seen;
}

/** Each node's edge targets, in edge declaration order. */
export function successors(graph: PipelineGraph): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = next.get(edge.from);
    if (list) list.push(edge.to);
    else next.set(edge.from, [edge.to]);
  }
  return next;
}

export const reachabilityRule: LintRule = {
  name: "reachability",
  apply(graph) {
    const start = [...graph.nodes.values()].find(isStartNode);
    if (!start) return [];
    const reached = reachableFrom(graph, start.id);
    return [...graph.nodes.values()]
      .filter((node) => !reached.has(node.id))
      .map((node) =>
        issue(graph, {
          rule: "reachability",
          severity: "warning",
          message: `node ${node.id} cannot be reached from ${start.id}, so it never runs`,
          hint: `add an edge into ${node.id} from a stage that runs, or delete it`,
          at: node.pos,
          node,
        }),
      );
  },
};
