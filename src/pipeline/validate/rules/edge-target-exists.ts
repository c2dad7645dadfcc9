/**
 * `edge_target_exists`: DOT creates a node for any name an edge mentions, as Graphviz does and
 * as the spec's own §2.13 human-gate example relies on; a typo in an edge target would then
 * silently make a new stage. A target never declared as a node is an error only when it is
 * close to a declared name (a likely typo), and a warning otherwise.
 */
import { closestWord } from "../../../common/index.js";
import { declaredIds, issue, type LintRule } from "../lint-rule.js";

export const edgeTargetExistsRule: LintRule = {
  name: "edge_target_exists",
  apply(graph) {
    const declared = declaredIds(graph);
    return graph.edges
      .filter((edge) => graph.nodes.get(edge.to)?.declared === false || !graph.nodes.has(edge.to))
      .map((edge) => {
        const near = closestWord(
          edge.to,
          declared.filter((id) => id !== edge.to),
        );
        return issue(graph, {
          rule: "edge_target_exists",
          severity: near ? "error" : "warning",
          message: `edge ${edge.from} -> ${edge.to} leads to ${edge.to}, which is never declared as a node`,
          hint: near
            ? `did you mean ${near}? Otherwise declare it: ${edge.to} [label="...", prompt="..."]`
            : `declare it: ${edge.to} [label="...", prompt="..."], or fix the name`,
          at: edge.toPos ?? edge.pos,
          edge,
        });
      });
  },
};
