/**
 * `retry_target_exists` (§7.2, warning): `retry_target` and `fallback_retry_target`, on nodes
 * and on the graph, name nodes that exist. `goal_gate_has_retry` (§7.2, warning): a goal gate
 * has somewhere to go back to, on the node or, as §3.4 allows, on the graph.
 */
import { closestWord } from "../../../common/index.js";
import { attrBool, type PipelineNode } from "../../graph.js";
import {
  type AttrOwner,
  graphPos,
  issue,
  keyPos,
  type LintRule,
  type PipelineDiagnostic,
  valuePos,
} from "../lint-rule.js";

const TARGET_KEYS = ["retry_target", "fallback_retry_target"] as const;

export const retryTargetExistsRule: LintRule = {
  name: "retry_target_exists",
  apply(graph) {
    const out: PipelineDiagnostic[] = [];
    const ids = [...graph.nodes.keys()];
    const owners: Array<{
      owner: AttrOwner;
      node?: PipelineNode;
      where: string;
    }> = [
      { owner: graph, where: "the graph" },
      ...[...graph.nodes.values()].map((node) => ({ owner: node, node, where: `node ${node.id}` })),
    ];
    for (const { owner, node, where } of owners) {
      for (const key of TARGET_KEYS) {
        const target = owner.attrs[key];
        if (!target || graph.nodes.has(target)) continue;
        const near = closestWord(target, ids);
        out.push(
          issue(graph, {
            rule: "retry_target_exists",
            severity: "warning",
            message: `${key} "${target}" on ${where} is not a node`,
            hint: near ? `did you mean ${near}?` : "name a node of this pipeline",
            at: valuePos(owner, key, node?.pos ?? graphPos(graph)),
            ...(node ? { node } : {}),
          }),
        );
      }
    }
    return out;
  },
};

export const goalGateHasRetryRule: LintRule = {
  name: "goal_gate_has_retry",
  apply(graph) {
    if (TARGET_KEYS.some((key) => graph.attrs[key])) return [];
    return [...graph.nodes.values()]
      .filter(
        (node) => attrBool(node.attrs, "goal_gate") && !TARGET_KEYS.some((k) => node.attrs[k]),
      )
      .map((node) =>
        issue(graph, {
          rule: "goal_gate_has_retry",
          severity: "warning",
          message: `goal gate ${node.id} has no retry_target: if it is unsatisfied at exit, the run fails`,
          hint: `add retry_target=<stage to go back to> on ${node.id}, or retry_target on the graph`,
          at: keyPos(node, "goal_gate", node.pos),
          node,
        }),
      );
  },
};
