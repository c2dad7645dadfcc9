/**
 * What some handlers cannot run without (ours, errors): `tool_command_missing` (§4.10 would
 * fail at run time), `human_gate_no_choices` (§4.6 derives choices from outgoing edges),
 * `parallel_no_branches` (§4.8 fans out along outgoing edges).
 */
import { nodeType, outgoingEdges, type PipelineGraph, type PipelineNode } from "../../graph.js";
import { issue, type LintRule } from "../lint-rule.js";

function nodesOfType(
  name: string,
  type: string,
  problem: (node: PipelineNode, graph: PipelineGraph) => boolean,
  message: (node: PipelineNode) => string,
  hint: (node: PipelineNode) => string,
): LintRule {
  return {
    name,
    apply: (graph) =>
      [...graph.nodes.values()]
        .filter((node) => nodeType(node) === type && problem(node, graph))
        .map((node) =>
          issue(graph, {
            rule: name,
            severity: "error",
            message: message(node),
            hint: hint(node),
            at: node.pos,
            node,
          }),
        ),
  };
}

export const toolCommandMissingRule = nodesOfType(
  "tool_command_missing",
  "tool",
  (node) => !node.attrs.tool_command?.trim(),
  (node) => `tool node ${node.id} has no tool_command`,
  (node) => `add the command to run, e.g. ${node.id} [tool_command="npm test"]`,
);

export const humanGateNoChoicesRule = nodesOfType(
  "human_gate_no_choices",
  "wait.human",
  (node, graph) => outgoingEdges(graph, node.id).length === 0,
  (node) => `human gate ${node.id} has no outgoing edges, so there is nothing to choose`,
  (node) => `add one edge per choice, e.g. ${node.id} -> ship [label="[A] Approve"]`,
);

export const parallelNoBranchesRule = nodesOfType(
  "parallel_no_branches",
  "parallel",
  (node, graph) => outgoingEdges(graph, node.id).length < 1,
  (node) => `parallel node ${node.id} has no outgoing edges, so there are no branches to run`,
  (node) => `add one edge per branch, e.g. ${node.id} -> branch_a, ${node.id} -> branch_b`,
);
