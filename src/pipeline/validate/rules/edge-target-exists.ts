/**
 * `edge_target_exists`: DOT creates a node for any name an edge mentions, so a typo in an
 * edge target silently makes a new, empty stage. We refuse a target never declared as a node.
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
          severity: "error",
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
