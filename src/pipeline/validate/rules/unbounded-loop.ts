/**
 * `unbounded_loop` (ours, warning): a cycle reachable from start in which no node has
 * `max_visits` can run until the budget runs out. Cycles are found in the graph without the
 * bounded nodes, so every reported loop really has no bound; the warning points at the edge
 * that closes it in a depth-first walk from start.
 */
import { isStartNode, type PipelineEdge } from "../../graph.js";
import { issue, type LintRule } from "../lint-rule.js";
import { reachableFrom } from "./reachability.js";

export const unboundedLoopRule: LintRule = {
  name: "unbounded_loop",
  apply(graph) {
    const start = [...graph.nodes.values()].find(isStartNode);
    if (!start) return [];
    const reached = reachableFrom(graph, start.id);
    const open = (id: string) => reached.has(id) && !graph.nodes.get(id)?.attrs.max_visits;
    const out = new Map<string, PipelineEdge[]>();
    for (const edge of graph.edges) {
      if (!open(edge.from) || !open(edge.to)) continue;
      const list = out.get(edge.from);
      if (list) list.push(edge);
      else out.set(edge.from, [edge]);
    }
    const closing = backEdges([...reached].filter(open), out);
    return closing.map((edge) =>
      issue(graph, {
        rule: "unbounded_loop",
        severity: "warning",
        message: `edge ${edge.from} -> ${edge.to} closes a loop in which no node has max_visits`,
        hint: `add max_visits=N to a node in the loop, e.g. ${edge.to} [max_visits=3]`,
        at: edge.pos,
        edge,
      }),
    );
  },
};

/** Edges into a node still on the depth-first stack, walking roots in order; iterative. */
function backEdges(roots: string[], out: ReadonlyMap<string, PipelineEdge[]>): PipelineEdge[] {
  const state = new Map<string, "open" | "done">();
  const found: PipelineEdge[] = [];
  for (const root of roots) {
    if (state.has(root)) continue;
    state.set(root, "open");
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const edge = out.get(top.id)?.[top.next++];
      if (!edge) {
        state.set(top.id, "done");
        stack.pop();
      } else if (state.get(edge.to) === "open") {
        found.push(edge);
      } else if (!state.has(edge.to)) {
        state.set(edge.to, "open");
        stack.push({ id: edge.to, next: 0 });
      }
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
