/** `fidelity_valid` (§7.2, warning): node and edge `fidelity` and graph `default_fidelity` are modes of §5.4. */
import { closestWord } from "../../../common/index.js";
import type { SourcePos } from "../../graph.js";
import {
  type AttrOwner,
  type Finding,
  graphPos,
  issue,
  type LintRule,
  type PipelineDiagnostic,
  valuePos,
} from "../lint-rule.js";

export const FIDELITY_MODES = [
  "full",
  "truncate",
  "compact",
  "summary:low",
  "summary:medium",
  "summary:high",
] as const;

export const fidelityValidRule: LintRule = {
  name: "fidelity_valid",
  apply(graph) {
    const out: PipelineDiagnostic[] = [];
    const check = (
      owner: AttrOwner,
      key: string,
      where: string,
      fallback: SourcePos,
      subject: Pick<Finding, "node" | "edge">,
    ) => {
      const value = owner.attrs[key];
      if (
        value === undefined ||
        value === "" ||
        (FIDELITY_MODES as readonly string[]).includes(value)
      )
        return;
      const near = closestWord(value, FIDELITY_MODES);
      out.push(
        issue(graph, {
          rule: "fidelity_valid",
          severity: "warning",
          message: `${key} "${value}" on ${where} is not a fidelity mode`,
          hint: near ? `did you mean ${near}?` : `use one of ${FIDELITY_MODES.join(", ")}`,
          at: valuePos(owner, key, fallback),
          ...subject,
        }),
      );
    };
    check(graph, "default_fidelity", "the graph", graphPos(graph), {});
    for (const node of graph.nodes.values())
      check(node, "fidelity", `node ${node.id}`, node.pos, { node });
    for (const edge of graph.edges)
      check(edge, "fidelity", `edge ${edge.from} -> ${edge.to}`, edge.pos, { edge });
    return out;
  },
};
