/**
 * `prompt_on_llm_nodes` (warning): a codergen node without a `prompt`. §7.2 accepts a label
 * instead, §11.2 asks for a prompt; we follow §11.2, since a label such as "Plan" sent as the
 * whole instruction (§4.5's fallback) is almost never what the author meant.
 */
import { nodeType } from "../../graph.js";
import { issue, type LintRule } from "../lint-rule.js";

export const promptOnLlmNodesRule: LintRule = {
  name: "prompt_on_llm_nodes",
  apply: (graph) =>
    [...graph.nodes.values()]
      .filter((node) => nodeType(node) === "codergen" && !node.attrs.prompt?.trim())
      .map((node) => {
        const label = node.attrs.label?.trim();
        return issue(graph, {
          rule: "prompt_on_llm_nodes",
          severity: "warning",
          message: label
            ? `LLM stage ${node.id} has no prompt; its label "${label}" will be the whole instruction`
            : `LLM stage ${node.id} has no prompt or label; its ID will be the whole instruction`,
          hint: `add prompt="..." saying what ${node.id} must do, or give it another shape if it is not an LLM stage`,
          at: node.pos,
          node,
        });
      }),
};
