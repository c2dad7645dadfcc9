/**
 * `loop_restart_unsupported` (ours, warning): §2.7's `loop_restart=true` (end the run and start
 * a fresh one) is not implemented; such an edge is followed as a normal edge, in the same run.
 */
import { attrBool } from "../../graph.js";
import { issue, keyPos, type LintRule } from "../lint-rule.js";

export const loopRestartUnsupportedRule: LintRule = {
  name: "loop_restart_unsupported",
  apply: (graph) =>
    graph.edges
      .filter((edge) => attrBool(edge.attrs, "loop_restart"))
      .map((edge) =>
        issue(graph, {
          rule: "loop_restart_unsupported",
          severity: "warning",
          message: `loop_restart on ${edge.from} -> ${edge.to} is not supported: the edge is followed as a normal edge, in the same run`,
          hint: "remove loop_restart, and bound the loop with max_visits on a node in it",
          at: keyPos(edge, "loop_restart", edge.pos),
          edge,
        }),
      ),
};
