/**
 * `manager_loop_unsupported` (ours, error): the supervisor loop of §4.11 (shape=house or
 * type="stack.manager_loop") is not implemented, so such a pipeline is refused up front
 * rather than failing when the run reaches that node.
 */
import { nodeType } from "../../graph.js";
import { issue, type LintRule } from "../lint-rule.js";

export const managerLoopUnsupportedRule: LintRule = {
  name: "manager_loop_unsupported",
  apply: (graph) =>
    [...graph.nodes.values()]
      .filter((node) => nodeType(node) === "stack.manager_loop")
      .map((node) =>
        issue(graph, {
          rule: "manager_loop_unsupported",
          severity: "error",
          message: `node ${node.id} is a supervisor loop (stack.manager_loop): the supervisor loop (§4.11) is not implemented yet`,
          hint: "use a bounded loop instead: an edge back to an earlier stage, with max_visits=N on a node in the loop",
          at: node.attrPos.type ?? node.attrPos.shape ?? node.pos,
          node,
        }),
      ),
};
